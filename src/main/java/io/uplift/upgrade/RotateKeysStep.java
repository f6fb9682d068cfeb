package io.uplift.upgrade;

import com.google.crypto.tink.Aead;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.demo.ProgressListener;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.keys.KeysetRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The key rotation a release requires: a new key becomes primary (the old one stays, so every
 * ciphertext keeps decrypting while the product reads), then every encrypted column is
 * re-encrypted in batches of rows, each batch one transaction. Rows already under the new key are
 * skipped, which makes a resumed rotation carry on where it stopped. The keyset as it was is kept
 * in .uplift/keys/ until the upgrade ends, for undo (it is the sealed file, copied byte for byte).
 *
 * <p>The new keyset's fingerprint is recorded in the database (uplift_keyset) right after the file
 * is written, before any value is re-encrypted; a resume that finds the file rotated but the
 * database not yet recorded records it (the resume's keyset check lets exactly that through).
 */
final class RotateKeysStep implements UpgradeStep {
    private static final int BATCH = 2000;

    @Override
    public void apply(StepContext c) throws Exception {
        Path keysetFile = c.home().resolve("config/keyset.json");
        Path before = before(c);
        if (!Files.exists(before)) {
            DurableFiles.write(before, Files.readAllBytes(keysetFile));
        }
        InstallationKeyset keyset = InstallationKeyset.load(keysetFile);
        if (keyset.primaryKeyId() == InstallationKeyset.load(before).primaryKeyId()) {
            keyset = keyset.withNewPrimary();
            keyset.writeTo(keysetFile);
            c.listener().message("new primary key " + keyset.primaryKeyId() + " added; the old key stays for reading");
        }
        List<EncryptedColumn> columns = c.release().encryptedColumns();
        try (Connection conn = UpgradeDatabase.connect(c.database())) {
            KeysetRecord.write(conn, keyset.fingerprint(), keyset.primaryKeyId(), c.home());
            long total = 0;
            for (EncryptedColumn col : columns) {
                total += stale(conn, col, keyset.primaryKeyId());
            }
            ProgressListener progress = c.listener().progress(c.step());
            long done = 0;
            for (EncryptedColumn col : columns) {
                done = reencrypt(conn, col, keyset, done, total, progress);
            }
            progress.progress(total, total);
            c.listener().message(String.format("%,d values re-encrypted", done));
        }
    }

    @Override
    public void verify(StepContext c) throws Exception {
        InstallationKeyset keyset = InstallationKeyset.load(c.home().resolve("config/keyset.json"));
        try (Connection conn = UpgradeDatabase.connect(c.database())) {
            for (EncryptedColumn col : c.release().encryptedColumns()) {
                if (!col.keyIdColumn().isEmpty() && stale(conn, col, keyset.primaryKeyId()) > 0) {
                    throw new UpliftException(ErrorCode.UPGRADE_FAILED, col.table() + "." + col.column()
                            + " still has values under an old key; run 'uplift resume' to finish the rotation.");
                }
                checkAllDecrypt(conn, col, keyset);
            }
        }
    }

    @Override
    public void undo(StepContext c) throws Exception {
        // The database comes back with the migrations' undo (restore) or the move's (old server);
        // the keyset comes back here, byte for byte.
        // The database's record goes back first: a kill after it leaves the before-file, so the next
        // rollback run does both again. A database restored from the backup already has it.
        Path before = before(c);
        if (Files.exists(before)) {
            if (!c.journal().get().databaseRestored()) {
                KeysetEnvelope.Header h = KeysetEnvelope.header(before);
                try (Connection conn = UpgradeDatabase.connect(c.database())) {
                    KeysetRecord.write(conn, h.fingerprint(), h.primaryKeyId(), c.home());
                }
            }
            DurableFiles.write(c.home().resolve("config/keyset.json"), Files.readAllBytes(before));
            Files.delete(before);
        }
    }

    private static Path before(StepContext c) {
        return c.home().resolve(".uplift/keys").resolve("keyset-before-" + c.hop().to() + ".json");
    }

    private static long stale(Connection conn, EncryptedColumn col, long primary) throws SQLException {
        String where = col.keyIdColumn().isEmpty() ? "" : " WHERE " + q(col.keyIdColumn()) + " IS DISTINCT FROM " + primary;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + q(col.table()) + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long reencrypt(Connection conn, EncryptedColumn col, InstallationKeyset keyset, long done, long total,
            ProgressListener progress) throws SQLException, GeneralSecurityException {
        if (col.keyIdColumn().isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The encrypted column " + col.table() + "." + col.column()
                    + " has no key-id-column, so a rotation cannot tell re-encrypted rows from the others; the vendor must add one.");
        }
        Aead aead = keyset.aead();
        long primary = keyset.primaryKeyId();
        String select = "SELECT " + q(col.idColumn()) + ", " + q(col.column()) + " FROM " + q(col.table()) + " WHERE " + q(col.keyIdColumn())
                + " IS DISTINCT FROM ? AND " + q(col.idColumn()) + " > ? ORDER BY " + q(col.idColumn()) + " LIMIT " + BATCH;
        String update = "UPDATE " + q(col.table()) + " SET " + q(col.column()) + " = ?, " + q(col.keyIdColumn()) + " = ? WHERE "
                + q(col.idColumn()) + " = ?";
        conn.setAutoCommit(false);
        long last = Long.MIN_VALUE;
        try {
            while (true) {
                int n = 0;
                try (PreparedStatement sel = conn.prepareStatement(select); PreparedStatement upd = conn.prepareStatement(update)) {
                    sel.setLong(1, primary);
                    sel.setLong(2, last);
                    try (ResultSet rs = sel.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            byte[] ad = associatedData(col, id);
                            byte[] plain = aead.decrypt(rs.getBytes(2), ad);
                            upd.setBytes(1, aead.encrypt(plain, ad));
                            upd.setLong(2, primary);
                            upd.setLong(3, id);
                            upd.addBatch();
                            last = id;
                            n++;
                        }
                    }
                    upd.executeBatch();
                }
                conn.commit();
                done += n;
                progress.progress(Math.min(done, total), total);
                if (n < BATCH) {
                    return done;
                }
            }
        } finally {
            conn.setAutoCommit(true);
        }
    }

    /** Streams every value (a cursor, not all rows in memory) and decrypts it. */
    private static void checkAllDecrypt(Connection conn, EncryptedColumn col, InstallationKeyset keyset) throws SQLException {
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.setFetchSize(BATCH);
            ResultSet rs = st.executeQuery("SELECT " + q(col.idColumn()) + ", " + q(col.column()) + " FROM " + q(col.table()));
            while (rs.next()) {
                try {
                    keyset.aead().decrypt(rs.getBytes(2), associatedData(col, rs.getLong(1)));
                } catch (GeneralSecurityException e) {
                    throw new UpliftException(ErrorCode.UPGRADE_FAILED, col.table() + "." + col.column() + " of row " + rs.getLong(1)
                            + " does not decrypt with the installation's keyset; run 'uplift rollback' to restore the database and keyset.");
                }
            }
        } finally {
            conn.rollback();
            conn.setAutoCommit(true);
        }
    }

    private static byte[] associatedData(EncryptedColumn col, long id) {
        return col.associatedData().equals("id") ? Long.toString(id).getBytes(StandardCharsets.US_ASCII) : new byte[0];
    }

    private static String q(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
