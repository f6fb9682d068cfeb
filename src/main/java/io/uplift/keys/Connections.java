package io.uplift.keys;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection to the product database for the re-encryption. The upgrade's connections
 * differ from the command's (they must write while maintenance mode makes the database read-only),
 * so the caller decides how to connect.
 */
@FunctionalInterface
public interface Connections {
    Connection open() throws SQLException;
}
