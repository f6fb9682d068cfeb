package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system account a PostgreSQL server runs as.
 *
 * <p>PostgreSQL refuses to run as root. When Uplift itself runs as root it therefore starts servers
 * as an unprivileged account ({@code postgres} unless configured otherwise), exactly as a production
 * install would, switching to it with {@code runuser}. Otherwise the server runs as the current user
 * and nothing needs switching.
 */
public final class OsUser {
    /** The account a root-run Uplift uses when none is configured. */
    public static final String DEFAULT_SERVER_USER = "postgres";

    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int uid;
    private final int gid;
    private final boolean switchUser;

    private OsUser(String name, int uid, int gid, boolean switchUser) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.switchUser = switchUser;
    }

    /** The account servers run as when nothing is configured. */
    public static OsUser serverUser() {
        return serverUser(null);
    }

    /**
     * The account servers run as.
     *
     * @param configured the configured account name, or null for the default ({@code postgres} when
     *                   running as root, the current user otherwise)
     */
    public static OsUser serverUser(String configured) {
        String current = System.getProperty("user.name");
        if (!runningAsRoot()) {
            if (configured != null && !configured.equals(current)) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "The PostgreSQL server user is configured as '"
                        + configured + "', but Uplift runs as '" + current + "' and can only switch users when run"
                        + " as root. Run Uplift as root, or remove the server user setting to run servers as '"
                        + current + "'.");
            }
            return lookUp(current, false);
        }
        String name = configured == null ? DEFAULT_SERVER_USER : configured;
        if (name.equals("root") || name.equals("0")) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "PostgreSQL refuses to run as root, so the"
                    + " server user cannot be 'root'. Configure an unprivileged account, for example 'postgres'.");
        }
        return lookUp(name, true);
    }

    /**
     * Whether this JVM runs as root. {@code /proc/self} belongs to the process's effective user, which
     * is more trustworthy than the {@code user.name} property (a setting anyone can pass on the command line).
     */
    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static OsUser lookUp(String name, boolean switchUser) {
        ExternalCommand.Result uid = ExternalCommand.run(List.of("id", "-u", name), LOOKUP_TIMEOUT);
        ExternalCommand.Result gid = ExternalCommand.run(List.of("id", "-g", name), LOOKUP_TIMEOUT);
        if (!uid.succeeded() || !gid.succeeded()) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The OS user '" + name + "' that should run the"
                    + " PostgreSQL server does not exist on this machine (`id " + name + "`: "
                    + uid.output().strip() + "). PostgreSQL refuses to run as root, so Uplift needs an"
                    + " unprivileged account: create one with `useradd --system --home-dir /var/lib/postgresql"
                    + " --shell /bin/bash " + name + "`, or configure another existing user.");
        }
        return new OsUser(name, Integer.parseInt(uid.output().strip()), Integer.parseInt(gid.output().strip()),
                switchUser);
    }

    public String name() {
        return name;
    }

    /** Whether commands are run through {@code runuser} because this account is not the JVM's. */
    public boolean switchesUser() {
        return switchUser;
    }

    /** The command line that runs {@code command} as this account. */
    List<String> command(List<String> command) {
        if (!switchUser) {
            return List.copyOf(command);
        }
        List<String> wrapped = new ArrayList<>(List.of(RUNUSER.toString(), "-u", name, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Creates {@code dir} if missing (with any missing parents, mode 755), makes it private to this
     * account (mode 700, owned by it) and checks the account can reach it.
     */
    void preparePrivateDirectory(Path dir) {
        // Checked before creating anything, so a refusal leaves no half-prepared folders behind.
        requireReachable(nearestExisting(dir));
        try {
            createParents(dir);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
            }
            requireOwnPlainFolder(dir);
            // Through a view that does not follow links: a link swapped in now makes this fail, not chmod its target.
            Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString("rwx------"));
            giveToThisUser(dir);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not prepare the folder " + dir
                    + " for the PostgreSQL server user '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * A private folder must be a real folder of this account or of the JVM's own (which is about to
     * give it to this account). Some of them have predictable names in shared places (the short socket
     * folder in /tmp), where another account could have made them first, or put a link there.
     */
    private void requireOwnPlainFolder(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, dir + " should be a private folder for the PostgreSQL"
                    + " server user '" + name + "' but is " + (Files.isSymbolicLink(dir) ? "a symbolic link (to "
                    + Files.readSymbolicLink(dir) + ")" : "not a folder") + "; Uplift never follows a link there. Nothing was"
                    + " changed in it. Remove it (rm " + dir + ") and try again.");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (owner != uid && owner != self) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, dir + " should be a private folder for the PostgreSQL"
                    + " server user '" + name + "' but belongs to another account (uid " + owner + "). Nothing was changed"
                    + " in it. Remove it (rm -r " + dir + ") if it is not in use, and try again.");
        }
    }

    /** Makes {@code file} (created empty if missing, never truncated) belong to this account. */
    void prepareOwnedFile(Path file, String permissions) {
        try {
            createParents(file);
            if (Files.isSymbolicLink(file)) {
                throw new IOException("it is a symbolic link (to " + Files.readSymbolicLink(file)
                        + "), which Uplift never follows; remove it");
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file);
            }
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(permissions));
            giveToThisUser(file);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not prepare the file " + file
                    + " for the PostgreSQL server user '" + name + "': " + e.getMessage(), e);
        }
    }

    void giveToThisUser(Path path) throws IOException {
        if (switchUser) {
            Files.setAttribute(path, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }

    // Folders Uplift creates itself get 755 (set explicitly: a 077 umask would otherwise lock the server
    // user out); folders that already exist belong to the operator and are never changed.
    private static void createParents(Path path) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = path.toAbsolutePath().getParent(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectories(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static Path nearestExisting(Path path) {
        Path p = path.toAbsolutePath().normalize();
        while (p.getParent() != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p;
    }

    /**
     * Fails unless this account can traverse every folder on the way to {@code path} and the path
     * itself. The check runs as the account (via {@code test -x}), so ACLs and group membership count.
     * Folders are never chmod-ed here: they belong to the operator, who decides.
     */
    void requireReachable(Path path) {
        if (!switchUser) {
            return;
        }
        List<String> script = new ArrayList<>(List.of("/bin/sh", "-c",
                "for d in \"$@\"; do [ -x \"$d\" ] || { echo \"$d\"; exit 1; }; done", "sh"));
        List<Path> chain = new ArrayList<>();
        for (Path p = path.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        chain.forEach(p -> script.add(p.toString()));
        ExternalCommand.Result result = ExternalCommand.run(command(script), LOOKUP_TIMEOUT);
        if (!result.succeeded()) {
            String blocked = result.output().strip();
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The PostgreSQL server user '" + name
                    + "' cannot enter the folder " + blocked + ", which it needs to reach " + path
                    + ". Allow it (for example `chmod o+x " + blocked + "`, or an ACL `setfacl -m u:" + name
                    + ":x " + blocked + "`), or choose a location outside that folder.");
        }
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ")";
    }
}
