package io.lockbox;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table secrets: values encrypted with the node's keyset ({@link Keyring}), never logged. */
final class SecretStore {
    /** Secrets written through the API belong to this user, made on the first write. */
    private static final String API_USER_EMAIL = "api@lockbox.invalid";

    private final ConnectionPool pool;
    private final Keyring keyring;
    /** The node to record in secrets.stored_by (2.2 and later), or null before 2.2, whose schema has no such column. */
    private final java.util.function.Supplier<String> storedBy;

    SecretStore(ConnectionPool pool, Keyring keyring, java.util.function.Supplier<String> storedBy) {
        this.pool = pool;
        this.keyring = keyring;
        this.storedBy = storedBy;
    }

    record Listed(long id, String name) {}

    record Revealed(long id, String name, String value) {}

    /** Thrown when a name is taken already (409). */
    static final class NameTaken extends Exception {
        private static final long serialVersionUID = 1L;
    }

    long create(String name, String value) throws SQLException, NameTaken {
        try {
            return pool.write(conn -> {
                // The id comes first: it is the associated data of the ciphertext.
                long id = single(conn, "SELECT nextval(pg_get_serial_sequence('secrets', 'id'))");
                Keyring.Sealed sealed;
                try {
                    sealed = keyring.encrypt(id, value);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("Encrypting with the node's keyset failed: " + e.getMessage(), e);
                }
                // Explicit columns: a 2.1 node keeps working on 2.2's expanded schema (stored_by is
                // nullable until 2.2's contract migration, which runs once no 2.1 node is left).
                String columns = storedBy == null ? "id, name, value, key_id, owner_id" : "id, name, value, key_id, owner_id, stored_by";
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO secrets (" + columns + ")"
                        + (storedBy == null ? " VALUES (?, ?, ?, ?, ?)" : " VALUES (?, ?, ?, ?, ?, ?)"))) {
                    ps.setLong(1, id);
                    ps.setString(2, name);
                    ps.setBytes(3, sealed.ciphertext());
                    ps.setLong(4, sealed.keyId());
                    ps.setLong(5, apiUser(conn));
                    if (storedBy != null) {
                        ps.setString(6, storedBy.get());
                    }
                    ps.executeUpdate();
                }
                return id;
            });
        } catch (SQLException e) {
            if (DatabaseErrors.hasState(e, "23505")) {
                throw new NameTaken();
            }
            throw e;
        }
    }

    /** The secret with its value decrypted, or null when there is none with this id. */
    Revealed reveal(long id) throws SQLException, GeneralSecurityException {
        record Row(String name, byte[] value) {}
        Row row = pool.read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, value FROM secrets WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getBytes(2)) : null;
                }
            }
        });
        return row == null ? null : new Revealed(id, row.name(), keyring.decrypt(id, row.value()));
    }

    List<Listed> list(int limit) throws SQLException {
        return pool.read(conn -> {
            List<Listed> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, name FROM secrets ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Listed(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** How many secrets there are (the status page shows the number, never a name or a value). */
    long count() throws SQLException {
        return pool.read(conn -> single(conn, "SELECT count(*) FROM secrets"));
    }

    private static long apiUser(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO users (name, email) VALUES ('Lockbox API', ?)"
                + " ON CONFLICT (email) DO NOTHING")) {
            ps.setString(1, API_USER_EMAIL);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM users WHERE email = ?")) {
            ps.setString(1, API_USER_EMAIL);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long single(Connection conn, String sql) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
