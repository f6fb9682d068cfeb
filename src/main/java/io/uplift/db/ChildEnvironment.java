package io.uplift.db;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment of every program Uplift starts: an allow-list, never the JVM's whole environment.
 *
 * <p>Why: the operator's environment holds secrets meant for Uplift alone ({@code UPLIFT_MASTER_KEY},
 * {@code UPLIFT_KEYSET_PASSPHRASE}, a PGPASSWORD for another server). A child inherits them for its
 * whole life: a postmaster started by {@code pg_ctl} keeps them in {@code /proc/PID/environ}, readable
 * by the postgres account and, through {@code COPY ... FROM PROGRAM}, by any database superuser. So a
 * child gets only what programs need to run (PATH, locale, time zone, temp folder), plus, for vendor
 * service commands, the login variables a launcher script expects, plus what the caller sets
 * explicitly (the PG* variables of one tool run). {@code UPLIFT_*} never passes, not even explicitly.
 */
public final class ChildEnvironment {
    private static final Set<String> ALWAYS = Set.of("PATH", "LANG", "TZ", "TMPDIR");
    /** What a vendor's start/stop script may reasonably read: who runs it and which Java. */
    private static final Set<String> LOGIN = Set.of("HOME", "USER", "LOGNAME", "SHELL", "JAVA_HOME");
    private static final String NEVER_PREFIX = "UPLIFT_";

    private final boolean login;

    private ChildEnvironment(boolean login) {
        this.login = login;
    }

    /** For PostgreSQL programs (initdb, pg_ctl, the server, pg_dump, pg_restore, psql) and system tools. */
    public static ChildEnvironment forTools() {
        return new ChildEnvironment(false);
    }

    /** For the product's service commands from product.yaml: also HOME, USER, LOGNAME, SHELL, JAVA_HOME. */
    public static ChildEnvironment forServices() {
        return new ChildEnvironment(true);
    }

    /** Whether a variable of the parent passes to the child. */
    public boolean passes(String name) {
        if (name.startsWith(NEVER_PREFIX)) {
            return false;
        }
        return ALWAYS.contains(name) || name.startsWith("LC_") || (login && LOGIN.contains(name));
    }

    /** The child's variables: those of {@code parent} that pass, then {@code explicit} on top. */
    public Map<String, String> of(Map<String, String> parent, Map<String, String> explicit) {
        Map<String, String> child = new LinkedHashMap<>();
        parent.forEach((name, value) -> {
            if (passes(name)) {
                child.put(name, value);
            }
        });
        explicit.forEach((name, value) -> {
            if (name.startsWith(NEVER_PREFIX)) {
                throw new IllegalArgumentException(name + " is Uplift's own setting and is never given to a child process");
            }
            child.put(name, value);
        });
        return child;
    }

    /** Replaces the builder's environment (a copy of the JVM's) by the allowed part of it plus {@code explicit}. */
    public ProcessBuilder applyTo(ProcessBuilder builder, Map<String, String> explicit) {
        Map<String, String> env = builder.environment();
        Map<String, String> child = of(Map.copyOf(env), explicit);
        env.clear();
        env.putAll(child);
        return builder;
    }
}
