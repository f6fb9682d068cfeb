package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.db.PgTools;
import io.uplift.install.DatabaseProbe;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.ProductDatabase;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.keys.KeysetRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The primary and the disaster-recovery site of a 'dr refresh', and every reason to refuse it, all
 * found before anything is touched: a refresh that stopped half-way would leave the DR site worse
 * than it was, so what can be known in advance is checked in advance. Reading the primary may start
 * the database server Uplift manages for it (as 'uplift backup' does); nothing is written.
 *
 * @param primaryServerMajor the PostgreSQL major of the primary's server (the dump's)
 * @param drServerMajor      the PostgreSQL major of the DR site's server (the restore's)
 */
record DrSites(Installation primary, Installation dr, Catalog drCatalog, Version primaryVersion, Version drVersion,
        int primaryServerMajor, int drServerMajor) {

    static DrSites inspect(Path drHome, Path primaryHome, InstallationCatalog catalogs, PgTools tools) {
        Installation dr = Installation.open(drHome);
        Installation primary = openPrimary(primaryHome);
        refuseSameHome(dr, primary);
        refuseSameDatabase(dr, primary);
        refuseJournal(primary, "--from");
        refuseJournal(dr, "--home");
        if (!primary.state().product().equals(dr.state().product())) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "--from " + primary.home() + " is an installation of "
                    + primary.state().product() + ", but the DR site " + dr.home() + " (--home) runs " + dr.state().product()
                    + ": a DR site mirrors an installation of its own product. Nothing was changed.");
        }
        Version primaryVersion = Version.parse(primary.state().version());
        Version drVersion = Version.parse(dr.state().version());
        if (drVersion.isNewerThan(primaryVersion)) {
            throw new UpliftException(ErrorCode.PLAN_IMPOSSIBLE, "The DR site " + dr.home() + " runs " + dr.state().product() + " "
                    + drVersion + ", newer than the primary's " + primaryVersion + " (" + primary.home() + "): its program files"
                    + " cannot go back to an older release. Upgrade the primary to " + drVersion + " first, or reinstall the DR"
                    + " site at " + primaryVersion + ". Nothing was changed.");
        }
        Catalog drCatalog = catalogs.of(dr);
        if (drVersion.isOlderThan(primaryVersion) && drCatalog.release(primaryVersion).isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The DR site's catalog " + drCatalog.folder() + " has no release "
                    + primaryVersion + " (the primary's), so the DR site's program files cannot be brought to it: pass the vendor's"
                    + " catalog that holds it with --catalog DIR. Nothing was changed.");
        }
        refuseOtherKeyset(dr, primary);
        int primaryMajor = serverMajor(primary, "--from");
        int drMajor = serverMajor(dr, "--home");
        if (databaseIdentity(primary).equals(databaseIdentity(dr))) {
            throw sameDatabase(dr, primary, dr.databaseSettings().url() + " and " + primary.databaseSettings().url()
                    + " reach the same server and database");
        }
        if (drMajor < primaryMajor) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The DR site's database server (" + dr.databaseSettings().url()
                    + ") is PostgreSQL " + drMajor + ", older than the primary's " + primaryMajor + ": a dump of a newer server does not"
                    + " restore into an older one. Give the DR site a PostgreSQL " + primaryMajor + " server or newer. Nothing was changed.");
        }
        if (tools.major() < primaryMajor) {
            throw new UpliftException(ErrorCode.PG_TOOLS, "The PostgreSQL client tools " + tools + " are version " + tools.major()
                    + ", older than the primary's server (" + primaryMajor + "): pg_dump cannot dump it, and a copy of its data folder"
                    + " cannot be restored into another server. Install the client tools " + primaryMajor + " or newer. Nothing was changed.");
        }
        return new DrSites(primary, dr, drCatalog, primaryVersion, drVersion, primaryMajor, drMajor);
    }

    private static Installation openPrimary(Path primaryHome) {
        try {
            return Installation.open(primaryHome);
        } catch (UpliftException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "--from " + primaryHome + " is not an Uplift installation: "
                    + e.getMessage() + " Pass the home folder of the primary site's node 1 with --from. Nothing was changed.", e);
        }
    }

    private static void refuseSameHome(Installation dr, Installation primary) {
        if (sameFile(dr.home(), primary.home())) {
            throw new UpliftException(ErrorCode.USAGE, "--from " + primary.home() + " is the DR site's own home (--home " + dr.home()
                    + "): pass the primary site's node-1 home with --from and the DR site's home with --home. Nothing was changed.");
        }
    }

    private static void refuseSameDatabase(Installation dr, Installation primary) {
        DatabaseSettings mine = dr.databaseSettings();
        if (mine.url().equalsIgnoreCase(primary.databaseSettings().url())) {
            throw sameDatabase(dr, primary, mine.url() + " in both " + DatabaseSettings.FILE);
        }
    }

    private static UpliftException sameDatabase(Installation dr, Installation primary, String how) {
        return new UpliftException(ErrorCode.USAGE, "The DR site " + dr.home() + " and the primary " + primary.home() + " use the same"
                + " database (" + how + "): a refresh would empty the primary's own database. A DR site has its own database server;"
                + " point its " + dr.home().resolve(DatabaseSettings.FILE) + " at it. Nothing was changed.");
    }

    /**
     * Which server and database a home's settings reach, however its URL names the host (localhost or
     * 127.0.0.1, a DNS alias): the server's address and port, its start time, and the database's name.
     */
    static String databaseIdentity(Installation inst) {
        try (Connection conn = new ProductDatabase(inst).connect()) {
            return databaseIdentity(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read which server the database of " + inst.home() + " ("
                    + inst.databaseSettings().url() + ") is on: " + e.getMessage() + ". Nothing was changed.", e);
        }
    }

    /** See {@link #databaseIdentity(Installation)}: the same for any connection. */
    static String databaseIdentity(Connection conn) throws SQLException {
        try (java.sql.Statement st = conn.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT coalesce(host(inet_server_addr()), 'socket') || ':' || coalesce(inet_server_port(), 0)"
                     + " || ' started ' || pg_postmaster_start_time() || ' db ' || current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void refuseJournal(Installation inst, String flag) {
        if (Files.exists(inst.journalFile())) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "An upgrade is under way or was interrupted in " + inst.home()
                    + " (" + flag + "; " + inst.journalFile() + "): its program files and database may be between two releases. Finish it"
                    + " with 'uplift resume --home " + inst.home() + "' (or undo it with 'uplift rollback'), then refresh. Nothing was changed.");
        }
    }

    /**
     * The DR site must decrypt what it gets: its keyset's fingerprint must be the one the primary's
     * database recorded (or, where it recorded none, the primary's keyset file's). Keys are never
     * copied here: a DR site is installed with the cluster's keyset, as a node is.
     */
    private static void refuseOtherKeyset(Installation dr, Installation primary) {
        Path primaryFile = primary.home().resolve(KeysetConsistency.KEYSET);
        Optional<KeysetRecord> recorded = primaryRecord(primary);
        String expected = recorded.map(KeysetRecord::fingerprint).or(() -> KeysetEnvelope.fingerprintOf(primaryFile)).orElse(null);
        if (expected == null) {
            return; // a product without encrypted columns: nothing the DR site would fail to read
        }
        Path drFile = dr.home().resolve(KeysetConsistency.KEYSET);
        String found = KeysetEnvelope.fingerprintOf(drFile).orElse("none (missing or not a sealed keyset)");
        if (!found.equals(expected)) {
            String where = recorded.isPresent() ? "the primary's database records the keyset " : "the primary's " + primaryFile + " is ";
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The DR site could not decrypt the primary's data: " + where
                    + expected + ", but the DR site's " + drFile + " is " + found + ". A DR site is installed with the primary's keyset,"
                    + " as a node of its cluster is (the vendor's installer carries it, with its master key); Uplift never copies keys."
                    + " Nothing was changed.");
        }
    }

    private static Optional<KeysetRecord> primaryRecord(Installation primary) {
        new ProductDatabase(primary).ensureRunning();
        try (Connection conn = new ProductDatabase(primary).connect()) {
            return KeysetRecord.read(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the keyset record of the primary's database ("
                    + primary.databaseSettings().url() + ", --from " + primary.home() + "): " + e.getMessage() + ". Nothing was changed.", e);
        }
    }

    static int serverMajor(Installation inst, String flag) {
        DatabaseProbe probe = new ProductDatabase(inst).probe().database();
        if (!probe.reachable() || probe.major().isEmpty()) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The database of " + inst.home() + " (" + flag + ", "
                    + inst.databaseSettings().url() + ") cannot be reached: " + probe.error() + ". Start its server, then refresh."
                    + " Nothing was changed.");
        }
        return probe.major().getAsInt();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.equals(b) || Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
