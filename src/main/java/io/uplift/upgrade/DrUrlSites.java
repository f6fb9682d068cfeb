package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.db.PgTools;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.keys.KeysetRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sites of a 'dr refresh --from URL', and every reason to refuse it, found before anything is
 * touched, as {@link DrSites} does for a primary home. Here the primary is only its database, so
 * everything known of it comes from there: the product and release from uplift_installation (which
 * the upgrade writes in the same transaction as the release's migrations), the keyset from
 * uplift_keyset, an upgrade under way from the maintenance schema it holds. The DR home's own
 * catalog must hold that release, since the primary's program files cannot be seen from here.
 *
 * @param primaryFacts the primary database as read before the dump; read again after it, see {@link #readPrimary}
 */
record DrUrlSites(DrPrimaryUrl primary, Installation dr, Catalog drCatalog, PrimaryFacts primaryFacts, Version drVersion,
        int drServerMajor) {

    /** What the primary's database says about itself. */
    record PrimaryFacts(String product, Version version, Optional<String> keysetFingerprint, boolean maintenance, int serverMajor,
            String identity) {}

    Version primaryVersion() {
        return primaryFacts.version();
    }

    static DrUrlSites inspect(Path drHome, DrPrimaryUrl primary, InstallationCatalog catalogs, PgTools tools) {
        Installation dr = Installation.open(drHome);
        String product = dr.state().product();
        DatabaseSettings mine = dr.databaseSettings();
        if (mine.url().equalsIgnoreCase(primary.database().url())) {
            throw sameDatabase(dr, primary, mine.url() + " in " + DatabaseSettings.FILE + " and in --from");
        }
        DrSites.refuseJournal(dr, "--home");
        PrimaryFacts facts = readPrimary(primary, product);
        if (facts.maintenance()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The primary's database " + primary + " (--from) is in maintenance"
                    + " mode: an upgrade of the primary is under way or was interrupted, so its data may be between two releases."
                    + " Finish it on the primary ('uplift resume' there), then refresh. Nothing was changed.");
        }
        Version drVersion = Version.parse(dr.state().version());
        if (drVersion.isNewerThan(facts.version())) {
            throw new UpliftException(ErrorCode.PLAN_IMPOSSIBLE, "The DR site " + dr.home() + " runs " + product + " " + drVersion
                    + ", newer than the primary's " + facts.version() + " (recorded in " + primary + "): its program files cannot go back"
                    + " to an older release. Upgrade the primary to " + drVersion + " first, or reinstall the DR site at "
                    + facts.version() + ". Nothing was changed.");
        }
        Catalog drCatalog = catalogs.of(dr);
        if (drVersion.isOlderThan(facts.version()) && drCatalog.release(facts.version()).isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The primary's database " + primary + " records " + product + " "
                    + facts.version() + ", but the DR site's catalog " + drCatalog.folder() + " has no release " + facts.version()
                    + ", so the DR site's program files cannot be brought to it: pass the vendor's catalog that holds it with"
                    + " --catalog DIR. Nothing was changed.");
        }
        facts.keysetFingerprint().ifPresent(expected -> {
            Path drFile = dr.home().resolve(KeysetConsistency.KEYSET);
            String found = KeysetEnvelope.fingerprintOf(drFile).orElse("none (missing or not a sealed keyset)");
            if (!found.equals(expected)) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The DR site could not decrypt the primary's data: the"
                        + " primary's database " + primary + " records the keyset " + expected + ", but the DR site's " + drFile + " is "
                        + found + ". A DR site is installed with the primary's keyset, as a node of its cluster is (the vendor's"
                        + " installer carries it, with its master key); Uplift never copies keys. Nothing was changed.");
            }
        });
        int drMajor = DrSites.serverMajor(dr, "--home");
        if (DrSites.databaseIdentity(dr).equals(facts.identity())) {
            throw sameDatabase(dr, primary, "both reach " + facts.identity());
        }
        if (drMajor < facts.serverMajor()) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The DR site's database server (" + mine.url() + ") is PostgreSQL "
                    + drMajor + ", older than the primary's " + facts.serverMajor() + " (" + primary + "): a dump of a newer server does"
                    + " not restore into an older one. Give the DR site a PostgreSQL " + facts.serverMajor() + " server or newer."
                    + " Nothing was changed.");
        }
        if (tools.major() < facts.serverMajor()) {
            throw new UpliftException(ErrorCode.PG_TOOLS, "The PostgreSQL client tools " + tools + " are version " + tools.major()
                    + ", older than the primary's server (" + facts.serverMajor() + "): pg_dump cannot dump it. Install the client"
                    + " tools " + facts.serverMajor() + " or newer. Nothing was changed.");
        }
        return new DrUrlSites(primary, dr, drCatalog, facts, drVersion, drMajor);
    }

    /** Reads the primary's database; only reads. {@code product} is the DR site's, which the primary must run too. */
    static PrimaryFacts readPrimary(DrPrimaryUrl primary, String product) {
        DatabaseSettings db = primary.database();
        Connection conn;
        try {
            conn = Jdbc.connect(db.url(), db.user(), db.password());
        } catch (UpliftException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot connect to the primary's database " + primary + " (--from): "
                    + e.getMessage() + " If the password is refused, give it in " + DrPasswordFile.FLAG + " FILE (mode 600), ~/.pgpass"
                    + " or PGPASSWORD. Nothing was changed.", e);
        }
        try (conn; Statement st = conn.createStatement()) {
            boolean installation;
            boolean maintenance;
            int major;
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('public.uplift_installation') IS NOT NULL,"
                    + " EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'uplift_maintenance'),"
                    + " current_setting('server_version_num')::int / 10000")) {
                rs.next();
                installation = rs.getBoolean(1);
                maintenance = rs.getBoolean(2);
                major = rs.getInt(3);
            }
            if (!installation) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database " + primary + " (--from) has no uplift_installation"
                        + " table: it is not the database of an installation Uplift manages (or not its primary's). Pass the primary's"
                        + " product database, the one its config/database.properties names. Nothing was changed.");
            }
            Optional<String> version = Optional.empty();
            List<String> others = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT product, version FROM public.uplift_installation ORDER BY product");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(product)) {
                        version = Optional.of(rs.getString(2));
                    } else {
                        others.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
            }
            if (version.isEmpty()) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The primary's database " + primary + " (--from) records no"
                        + " release of " + product + ", the DR site's product" + (others.isEmpty() ? "" : " (it records " + others + ")")
                        + ": a DR site mirrors an installation of its own product. Check --from. Nothing was changed.");
            }
            Version parsed;
            try {
                parsed = Version.parse(version.get());
            } catch (RuntimeException e) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The primary's database " + primary + " records " + product
                        + " version '" + version.get() + "', which is not a version. Nothing was changed.", e);
            }
            Optional<String> keyset = KeysetRecord.read(conn).map(KeysetRecord::fingerprint);
            return new PrimaryFacts(product, parsed, keyset, maintenance, major, DrSites.databaseIdentity(conn));
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the primary's database " + primary + " (--from): "
                    + e.getMessage() + ". Nothing was changed.", e);
        }
    }

    private static UpliftException sameDatabase(Installation dr, DrPrimaryUrl primary, String how) {
        return new UpliftException(ErrorCode.USAGE, "The DR site " + dr.home() + " and --from " + primary + " are the same database ("
                + how + "): a refresh would empty the primary's own database. A DR site has its own database server; point its "
                + dr.home().resolve(DatabaseSettings.FILE) + " at it. Nothing was changed.");
    }
}
