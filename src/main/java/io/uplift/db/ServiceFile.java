package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libpq's connection service file: {@code [name]} sections of {@code key=value} lines. Looked up as
 * libpq does: {@code PGSERVICEFILE} or {@code ~/.pg_service.conf} first, then
 * {@code PGSYSCONFDIR/pg_service.conf} (default {@code /etc/postgresql-common}, Debian's).
 */
final class ServiceFile {
    private static final String SYSTEM_DEFAULT = "/etc/postgresql-common";

    private final Map<String, String> env;

    ServiceFile(Map<String, String> env) {
        this.env = env;
    }

    /** The settings of service {@code name}; refused when no file has it or a line is not a known keyword. */
    Map<String, String> settings(String flag, String name) {
        List<Path> searched = new ArrayList<>();
        for (Path file : candidates()) {
            searched.add(file);
            if (Files.isRegularFile(file)) {
                Optional<Map<String, String>> found = read(flag, file, name);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new UpliftException(ErrorCode.USAGE, flag + ": the service '" + name + "' is in none of " + searched
                + ". Add a [" + name + "] section to one of them (or set PGSERVICEFILE), or give host, port, dbname and user directly.");
    }

    private List<Path> candidates() {
        List<Path> files = new ArrayList<>();
        if (env.get("PGSERVICEFILE") != null) {
            files.add(Path.of(env.get("PGSERVICEFILE")));
        } else if (env.get("HOME") != null) {
            files.add(Path.of(env.get("HOME"), ".pg_service.conf"));
        }
        files.add(Path.of(env.getOrDefault("PGSYSCONFDIR", SYSTEM_DEFAULT), "pg_service.conf"));
        return files;
    }

    private static Optional<Map<String, String>> read(String flag, Path file, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, flag + ": cannot read the service file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (settings != null) {
                    break; // the next section: ours has ended
                }
                if (line.equals("[" + name + "]")) {
                    settings = new LinkedHashMap<>();
                }
                continue;
            }
            if (settings == null) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || key.equals("service") || !ConnectionString.KEYWORDS.contains(key)) {
                throw new UpliftException(ErrorCode.USAGE, flag + ": line " + (i + 1) + " of the service file " + file
                        + " (service '" + name + "') is not a known key=value setting ('" + ConnectionStringForms.safeName(key)
                        + "'). Known: host, port, dbname, user, password, sslmode, sslrootcert, sslcert, sslkey, passfile,"
                        + " target_session_attrs, connect_timeout, application_name.");
            }
            settings.put(key, line.substring(eq + 1).strip());
        }
        return Optional.ofNullable(settings);
    }
}
