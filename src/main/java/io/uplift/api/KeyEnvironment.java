package io.uplift.api;

import java.io.Console;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where master-key secrets are looked up: environment variables and, for a passphrase, the
 * terminal. The process's own ({@link #system()}) in production; tests pass their own, since a
 * running JVM cannot change its environment.
 */
public record KeyEnvironment(Function<String, String> variables, PassphrasePrompt prompt) {
    /** Asks for a passphrase without echo; empty when there is nobody to ask. */
    @FunctionalInterface
    public interface PassphrasePrompt {
        Optional<char[]> ask(String question);
    }

    private static final KeyEnvironment SYSTEM = new KeyEnvironment(System::getenv, question -> {
        Console console = System.console();
        return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", question));
    });

    /** The process environment and the terminal, if there is one (one object, so a passphrase is asked once per process). */
    public static KeyEnvironment system() {
        return SYSTEM;
    }

    /** Fixed variables and no terminal, for tests. */
    public static KeyEnvironment of(Map<String, String> variables) {
        return new KeyEnvironment(variables::get, question -> Optional.empty());
    }

    /** The value of the variable {@code name}, or null when it is not set. */
    public String variable(String name) {
        return variables.apply(name);
    }
}
