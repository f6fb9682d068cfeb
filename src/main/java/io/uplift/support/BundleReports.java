package io.uplift.support;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The reports a support bundle asks the facade for (its own verbs, so the bundle shows exactly what
 * 'uplift status', 'plan' and 'check' show): computed while the bundle is written, each allowed to fail.
 *
 * @param plan   the plan towards the target, when one was given
 * @param checks the checks towards the target, when one was given
 */
public record BundleReports(Supplier<?> status, Optional<Supplier<?>> plan, Optional<Supplier<?>> checks) {}
