package io.uplift.api;

/**
 * One unit of a hop. {@code id} is stable across runs ("2.1/migrate-schema") so the journal can
 * recognise a step when an interrupted upgrade resumes.
 */
public record Step(String id, StepKind kind, String title, String detail) {}
