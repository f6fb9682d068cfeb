package io.uplift.catalog;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** The 'prerequisites' of a release.yaml: bounds that keep every number usable by the checks that read it. */
final class PrerequisitesReader {
    /** PostgreSQL majors Uplift accepts as a move target; 10 is the oldest it runs. */
    static final int MAX_POSTGRESQL_MAJOR = 99;
    /** 1 PiB in MB: more than any disk, and still counted in bytes without overflow. */
    static final long MAX_FREE_DISK_MB = 1L << 30;
    private static final Set<String> FIELDS = Set.of("postgresql", "move-database-to", "java", "free-disk-mb", "os-family");
    private static final Set<String> OS_FAMILIES = Set.of("linux", "windows", "mac");

    private PrerequisitesReader() {}

    static Prerequisites read(YamlMap m) {
        m.rejectUnknown(FIELDS);
        VersionRange pg = m.parsed("postgresql", "*", VersionRange::parse);
        OptionalInt moveTo = OptionalInt.empty();
        if (m.has("move-database-to")) {
            long major = m.number("move-database-to", 0);
            if (major < 10 || major > MAX_POSTGRESQL_MAJOR) {
                // The bound also keeps the number an int: a larger one would wrap around to another major.
                m.problem(null, "move-database-to", "is " + major + ": it must be a PostgreSQL major version from 10 to "
                        + MAX_POSTGRESQL_MAJOR + ", such as 16");
            } else {
                moveTo = OptionalInt.of((int) major);
                if (pg != null && !pg.contains(Version.parse(Long.toString(major)))) {
                    m.problem(null, "move-database-to", "PostgreSQL " + major + " is outside this release's own range '"
                            + pg + "'; move to a version the release accepts");
                }
            }
        }
        VersionRange java = m.parsed("java", "*", VersionRange::parse);
        long disk = m.number("free-disk-mb", 0);
        if (disk > MAX_FREE_DISK_MB) {
            // The disk check counts in bytes: a larger number would overflow it.
            m.problem(null, "free-disk-mb", "is " + disk + ": it must be at most " + MAX_FREE_DISK_MB + " (1 PiB), in MB");
            disk = 0;
        }
        Optional<String> os = m.optString("os-family").map(s -> s.toLowerCase(Locale.ROOT));
        if (os.isPresent() && !OS_FAMILIES.contains(os.get())) {
            m.problem(null, "os-family", "'" + os.get() + "' is not one of " + String.join(", ", OS_FAMILIES));
        }
        return new Prerequisites(pg == null ? VersionRange.any() : pg, moveTo, java == null ? VersionRange.any() : java, disk, os);
    }
}
