package io.uplift.plan;

import io.uplift.api.Step;
import io.uplift.catalog.Version;
import java.util.List;
import java.util.Optional;

/** The upgrade from one installed version to the next release on the path. */
public record Hop(Version from, Version to, Optional<DatabaseMove> databaseMove, List<Step> steps) {}
