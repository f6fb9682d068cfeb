package io.uplift.api;

/** What a move's source held, read just before it is deleted: the messages say exactly what goes. */
public record SourceDescription(String database, String server, String serverVersion, long bytes, long tables, long rows) {
    @Override
    public String toString() {
        return "database \"" + database + "\" on " + server + " (PostgreSQL " + serverVersion + "): " + tables + " tables, about "
                + rows + " rows, " + bytes / (1024 * 1024) + " MB on disk";
    }
}
