package io.uplift.keys;

import com.google.crypto.tink.Aead;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.api.ProgressListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encrypts every value of the encrypted columns that is not yet under the primary key, and
 * verifies afterwards that every value is under it and decrypts.
 *
 * <p>How it stays safe: the keyset holds the old keys and the new primary, so every value decrypts
 * before, during and after (the product keeps reading). Each batch is one transaction that writes
 * the new ciphertext and the new key id together, and only into rows still as they were read (the
 * row version, xmin, is compared), so a value the product rewrites meanwhile is left alone and
 * picked up by the next pass. Resuming after a kill needs no record: the rows whose key id is not
 * the primary are exactly the ones left to do.
 *
 * <p>How it is fast: the id span of each column is split between worker threads, each with its own
 * connection, so decrypting and encrypting on one thread overlaps the database round trips of the
 * others; a batch is read with one reused prepared statement, sent back with one binary COPY into a
 * temporary table and applied with one UPDATE ... FROM, instead of one UPDATE per row.
 */
public final class Reencryption {
    public static final int DEFAULT_BATCH_ROWS = 5_000;
    /**
     * Each worker holds a database connection: more than 64 would exhaust a default server's 100
     * connections (and the product's share of them) long before it made the work faster.
     */
    public static final int MAX_THREADS = 64;
    /** A product that keeps writing with an old key would make the passes go on forever. */
    static final int MAX_PASSES = 5;

    private final Connections connections;
    private final List<ColumnSql> columns;
    private final Aead aead;
    private final long primaryKeyId;
    private final int threads;
    private final int batchRows;

    /**
     * @param aead         decrypts with any key of the keyset and encrypts with its primary
     * @param primaryKeyId the primary key's id, as the key-id columns store it
     */
    public Reencryption(Connections connections, List<EncryptedColumn> columns, Aead aead, long primaryKeyId, int threads, int batchRows) {
        if (threads < 1 || batchRows < 1) {
            throw new IllegalArgumentException("threads and batch rows must be positive: " + threads + ", " + batchRows);
        }
        this.connections = connections;
        this.columns = columns.stream().map(ColumnSql::new).toList();
        this.aead = aead;
        this.primaryKeyId = primaryKeyId;
        this.threads = threads;
        this.batchRows = batchRows;
    }

    /** One worker per core, at least two (one decrypts while the other waits on the database), at most four. */
    public static int defaultThreads() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** How many values are not under the primary key yet. */
    public long remaining() throws SQLException {
        long n = 0;
        try (Connection conn = connections.open()) {
            for (ColumnSql c : columns) {
                try (PreparedStatement st = conn.prepareStatement(c.countStale())) {
                    st.setLong(1, primaryKeyId);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
        }
        return n;
    }

    /**
     * Re-encrypts until no value is left under another key; returns how many values it rewrote.
     * Progress counts values read and re-encrypted, against the values found stale at the start
     * (plus any the product wrote with an old key meanwhile).
     *
     * @throws UpliftException (INSTALLATION_INVALID) when values under an old key keep appearing after {@link #MAX_PASSES} passes
     */
    public long run(ProgressListener listener) throws SQLException, UndecryptableValueException {
        SharedProgress progress = new SharedProgress(listener, remaining());
        progress.report();
        long rewritten = 0;
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            for (ColumnSql c : columns) {
                rewritten += reencryptColumn(c, progress);
            }
            long left = remaining();
            if (left == 0) {
                progress.finish();
                return rewritten;
            }
            progress.addToTotal(left);
        }
        throw new UpliftException(ErrorCode.INSTALLATION_INVALID, remaining() + " values are still under an old key after " + MAX_PASSES
                + " passes: something keeps writing values with an old key. Restart the product so that it reads the new keyset"
                + " (config/keyset.json), then run the rotation again; it goes on where it stopped.");
    }

    private long reencryptColumn(ColumnSql c, SharedProgress progress) throws SQLException, UndecryptableValueException {
        IdSpan span;
        try (Connection conn = connections.open(); PreparedStatement st = conn.prepareStatement(c.staleSpan())) {
            st.setLong(1, primaryKeyId);
            span = IdSpan.read(st);
        }
        if (span.isEmpty()) {
            return 0;
        }
        List<RangeWorker<Long>> workers = new ArrayList<>();
        for (IdSpan.Range r : span.split(threads)) {
            workers.add(stop -> new RangeReencryptor(connections, c, aead, primaryKeyId, batchRows, r, progress, stop).call());
        }
        return RangeWorker.runAll(workers, "uplift-reencrypt").stream().mapToLong(Long::longValue).sum();
    }

    /** Reads every value of every column and checks it is recorded under the primary key, carries its prefix, and decrypts. */
    public Verification verify(ProgressListener listener) throws SQLException {
        long total = 0;
        List<IdSpan> spans = new ArrayList<>();
        try (Connection conn = connections.open()) {
            for (ColumnSql c : columns) {
                try (PreparedStatement st = conn.prepareStatement(c.span())) {
                    IdSpan span = IdSpan.read(st);
                    spans.add(span);
                }
            }
            total = countRows(conn);
        }
        SharedProgress progress = new SharedProgress(listener, total);
        progress.report();
        Verification.Builder result = new Verification.Builder();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSql c = columns.get(i);
            if (spans.get(i).isEmpty()) {
                continue;
            }
            List<RangeWorker<Void>> workers = new ArrayList<>();
            for (IdSpan.Range r : spans.get(i).split(threads)) {
                workers.add(stop -> {
                    new RangeVerifier(connections, c, aead, primaryKeyId, batchRows, r, progress, result, stop).call();
                    return null;
                });
            }
            try {
                RangeWorker.runAll(workers, "uplift-verify");
            } catch (UndecryptableValueException e) {
                throw new IllegalStateException("the verifier records undecryptable values instead of throwing", e);
            }
        }
        progress.finish();
        return result.build(primaryKeyId);
    }

    /** Every value of every column: what the verification reads. */
    private long countRows(Connection conn) throws SQLException {
        long n = 0;
        for (ColumnSql c : columns) {
            try (PreparedStatement st = conn.prepareStatement(c.countAll());
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }
}
