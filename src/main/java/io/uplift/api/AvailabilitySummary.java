package io.uplift.api;

import java.nio.file.Path;

/**
 * What the load generator measured: its printed summary (requests, failures by cause, the longest
 * read outage, the write freeze, acknowledged writes read back), whether every acknowledged write
 * was found again, and its full JSON report.
 */
public record AvailabilitySummary(String text, boolean everyWriteFound, Path report) {}
