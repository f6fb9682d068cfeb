package io.uplift.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What 'uplift db move' did: the move's counts and validation, and the export folder when it wrote one.
 *
 * @param exportFolder the folder holding the export's manifest.json, when --export-dir was given
 */
public record MoveReport(MoveResult moved, Optional<Path> exportFolder) {}
