package io.uplift.api;

import java.util.OptionalLong;

/** What an export's manifest.json says it holds, shown before 'uplift db import' asks to go on. */
public record ExportSummary(String sourceDatabase, String sourceServerVersion, String createdAt, int dataFiles, int sequences,
        OptionalLong largeObjects) {}
