package io.uplift.api;

/** Told what an agent ('uplift agent') does, one line at a time, so the terminal or a log can show it. */
@FunctionalInterface
public interface AgentListener {
    AgentListener NONE = line -> { };

    void event(String line);
}
