package io.uplift.api;

import java.time.Duration;

/** What 'uplift db import' loaded: the COPY files, their rows and bytes, sequences and large objects. */
public record ImportResult(int files, long rows, long bytes, int sequences, long largeObjects, Duration took) {}
