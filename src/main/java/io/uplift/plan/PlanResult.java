package io.uplift.plan;

/** What 'uplift plan' returns: the plan, with the product's display name for printing. */
public record PlanResult(String product, Plan plan) {}
