package io.uplift.api;

/**
 * What 'uplift dr refresh' did to the disaster-recovery site.
 *
 * @param primaryHome        the primary's home, or, for 'dr refresh --from URL', its database's URL (never with a password)
 * @param drVersionBefore    the release the DR site ran before the refresh
 * @param version            the primary's release, which the DR site runs now
 * @param backupId           the verified backup of the primary whose database was restored (in {@code backupFolder}); from a
 *                           URL, the dump of its database ({@code primary-db-...}, read back with pg_restore --list)
 * @param rowsRestored       rows in the DR database's tables after the restore, counted exactly
 * @param dumpBytes          the size of the restored dump
 * @param databaseBytes      the DR database's size after the restore
 * @param programFilesUpdated whether the DR site's program files were brought to {@code version} (false: it ran it already)
 * @param servicesRestarted  whether the DR site's services ran before and were started again
 * @param tookMillis         the whole refresh, checks to restart (milliseconds: the --json shape has no duration type)
 */
public record DrRefreshResult(String primaryHome, String drHome, String drVersionBefore, String version, String backupId,
        String backupFolder, int primaryServerMajor, int drServerMajor, long rowsRestored, long dumpBytes, long databaseBytes,
        boolean programFilesUpdated, boolean servicesRestarted, long tookMillis) {}
