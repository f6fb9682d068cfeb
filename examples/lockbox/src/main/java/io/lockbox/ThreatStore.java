package io.lockbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table threats, with its taxonomy from 2.0 on (null until the post-upgrade task files it). */
final class ThreatStore {
    private final ConnectionPool pool;
    private final ReleaseFeatures features;

    ThreatStore(ConnectionPool pool, ReleaseFeatures features) {
        this.pool = pool;
        this.features = features;
    }

    /** taxonomy: from 2.0, the taxonomy the threat is filed in; left out before 2.0 and while not filed yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Threat(long id, String name, String level, String taxonomy) {}

    List<Threat> list(int limit) throws SQLException {
        String sql = features.taxonomies()
                ? "SELECT t.id, t.name, t.level, x.name FROM threats t LEFT JOIN taxonomies x ON x.id = t.taxonomy_id ORDER BY t.id LIMIT ?"
                : "SELECT id, name, level FROM threats ORDER BY id LIMIT ?";
        return pool.read(conn -> {
            List<Threat> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Threat(rs.getLong(1), rs.getString(2), rs.getString(3), features.taxonomies() ? rs.getString(4) : null));
                    }
                }
            }
            return out;
        });
    }
}
