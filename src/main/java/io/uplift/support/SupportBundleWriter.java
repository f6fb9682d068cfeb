package io.uplift.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.uplift.api.SupportBundle;
import io.uplift.journal.TrustedFolder;
import io.uplift.journal.UpgradeLogFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a support bundle: a zip of what a vendor's support needs to understand an installation's
 * upgrade (status, journals, the upgrade log, progress, plan and checks, the agent's status) and
 * nothing that is a secret. It works from an allow-list: a file of the home goes in only when it is
 * named below, so nothing of config/ (the database password, the keyset, token files), no backup and
 * no dump can slip in; {@link PasswordRedaction} then screens every entry for the database password.
 * A report that cannot be computed becomes an "-error.txt" entry: the bundle is most needed exactly
 * when something is broken, so it always completes.
 */
public final class SupportBundleWriter {
    static final long LOG_LIMIT = 8L * 1024 * 1024;
    private static final long FILE_LIMIT = 1024L * 1024;
    /** The newest journals of ended upgrades; older ones rarely explain today's problem. */
    private static final int HISTORY_LIMIT = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).registerModule(optionals());

    private final Path home;
    private final Path upliftDir;
    private final Clock clock;

    public SupportBundleWriter(Path home, Clock clock) {
        this.home = home;
        this.upliftDir = home.resolve(".uplift");
        this.clock = clock;
    }

    /** Writes the zip to {@code out} (finished, not closed: the stream is the caller's) and says what went in. */
    public SupportBundle write(BundleReports reports, OutputStream out) throws IOException {
        TrustedFolder.require(upliftDir);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        report(entries, "status", reports.status());
        file(entries, "journal.json", upliftDir.resolve("journal.json"), FILE_LIMIT);
        for (Path h : history()) {
            file(entries, "history/" + h.getFileName(), h, FILE_LIMIT);
        }
        file(entries, UpgradeLogFile.NAME, upliftDir.resolve(UpgradeLogFile.NAME), LOG_LIMIT);
        file(entries, "progress.json", upliftDir.resolve("progress.json"), FILE_LIMIT);
        file(entries, "maintenance.txt", upliftDir.resolve("maintenance"), FILE_LIMIT);
        towardsTarget(entries, reports);
        file(entries, "agent-status", upliftDir.resolve("agent-status"), FILE_LIMIT);

        PasswordRedaction redaction = PasswordRedaction.forHome(home);
        boolean redacted = false;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] screened = redaction.apply(e.getValue());
            redacted |= screened != e.getValue();
            e.setValue(screened);
        }
        List<String> names = new ArrayList<>();
        names.add("README.txt");
        names.addAll(entries.keySet());
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        put(zip, "README.txt", BundleReadme.text(clock.instant().toString(), entries.keySet(), redacted));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            put(zip, e.getKey(), e.getValue());
        }
        zip.finish();
        return new SupportBundle(names);
    }

    /** plan.json and checks.json, or one plan-error.txt saying why either could not be computed. */
    private static void towardsTarget(Map<String, byte[]> entries, BundleReports reports) {
        StringBuilder errors = new StringBuilder();
        reports.plan().map(Computed::of).ifPresent(plan -> plan.put(entries, "plan.json", () -> errors.append("plan: ")));
        reports.checks().map(Computed::of).ifPresent(checks -> checks.put(entries, "checks.json", () -> errors.append("checks: ")));
        if (errors.length() > 0) {
            entries.put("plan-error.txt", errors.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void report(Map<String, byte[]> entries, String name, Supplier<?> report) {
        StringBuilder error = new StringBuilder();
        Computed.of(report).put(entries, name + ".json", () -> error);
        if (error.length() > 0) {
            entries.put(name + "-error.txt", error.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A report as JSON, in the shape '--json' prints it, or the message of the failure that kept it from being computed. */
    private record Computed(Optional<byte[]> json, String error) {
        static Computed of(Supplier<?> report) {
            try {
                return new Computed(Optional.of(JSON.writeValueAsBytes(report.get())), "");
            } catch (RuntimeException | JsonProcessingException e) {
                return new Computed(Optional.empty(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }

        /** Puts the JSON under {@code name}, or appends the error line to the builder {@code errors} gives. */
        void put(Map<String, byte[]> entries, String name, Supplier<StringBuilder> errors) {
            json.ifPresentOrElse(b -> entries.put(name, b), () -> errors.get().append(error).append('\n'));
        }
    }

    private static void file(Map<String, byte[]> entries, String name, Path file, long limit) {
        try {
            BundleFile.read(file, limit).ifPresent(b -> entries.put(name, b));
        } catch (IOException e) {
            entries.put(name + "-error.txt", ("Cannot read " + file + ": " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<Path> history() throws IOException {
        Path dir = upliftDir.resolve("history");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> newest = new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).limit(HISTORY_LIMIT).toList());
            Collections.reverse(newest); // oldest first in the bundle, as they happened
            return newest;
        }
    }

    /**
     * An Optional as its value or null, as 'plan --json' prints a hop's databaseMove (docs/json.md):
     * plain Jackson refuses Optional, and the bundle keeps to the dependencies Uplift already has.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static SimpleModule optionals() {
        return new SimpleModule().addSerializer(Optional.class, new JsonSerializer<Optional>() {
            @Override
            public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.isPresent()) {
                    provider.defaultSerializeValue(value.get(), gen);
                } else {
                    gen.writeNull();
                }
            }
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
