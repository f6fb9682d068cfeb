package io.uplift.gate;

import java.sql.Connection;
import java.sql.SQLException;

/** How the gate reaches the product database: the product's own JDBC driver and settings. */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;
}
