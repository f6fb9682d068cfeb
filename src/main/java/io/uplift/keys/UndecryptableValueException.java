package io.uplift.keys;

/**
 * A stored value that no key of the keyset decrypts (with the row's associated data). It is never
 * rewritten: the caller stops and reports the row, since re-encrypting cannot repair it and the
 * operator must find out where the value came from.
 */
public final class UndecryptableValueException extends Exception {
    private final String column;
    private final long id;

    public UndecryptableValueException(String column, long id, Throwable cause) {
        super(column + " of row " + id + " does not decrypt with any key of the keyset", cause);
        this.column = column;
        this.id = id;
    }

    /** "table.column" */
    public String column() {
        return column;
    }

    public long id() {
        return id;
    }
}
