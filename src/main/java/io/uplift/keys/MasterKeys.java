package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Gets the master key a {@link MasterKeySource} names, with an error that says what to fix when it cannot. */
final class MasterKeys {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private MasterKeys() {}

    /** @param keyset the keyset file, named in the errors */
    static MasterKey resolve(MasterKeySource source, KeyEnvironment env, Path keyset) {
        if (source instanceof MasterKeySource.KeyFile f) {
            return readKeyFile(f.path(), keyset);
        }
        if (source instanceof MasterKeySource.Environment e) {
            String value = env.variable(e.variable());
            if (value == null || value.isBlank()) {
                throw invalid("The keyset " + keyset + " is sealed with a master key from the environment variable " + e.variable()
                        + ", which is not set. Set it to the base64 of the 32-byte master key (the same value as on the node that wrote"
                        + " the keyset), e.g. export " + e.variable() + "=$(cat /secure/place/master-key.b64).");
            }
            return decode(value.strip().getBytes(StandardCharsets.US_ASCII), "the environment variable " + e.variable(),
                    "set it to the base64 of exactly 32 bytes");
        }
        MasterKeySource.Passphrase p = (MasterKeySource.Passphrase) source;
        String problem = p.kdf().problem();
        if (problem != null) {
            throw invalid("The keyset " + keyset + " names Argon2id parameters Uplift refuses (" + problem + "). The file was edited"
                    + " or damaged: restore config/keyset.json from this node's backup.");
        }
        char[] passphrase = passphrase(p, env, keyset);
        try {
            return p.kdf().derive(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static char[] passphrase(MasterKeySource.Passphrase p, KeyEnvironment env, Path keyset) {
        String value = env.variable(p.variable());
        if (value != null && !value.isEmpty()) {
            return value.toCharArray();
        }
        Optional<char[]> asked = env.prompt().ask("Passphrase of the keyset " + keyset + ": ");
        if (asked.isEmpty() || asked.get().length == 0) {
            throw invalid("The keyset " + keyset + " is sealed with a passphrase, and there is none: set the environment variable "
                    + p.variable() + " or run the command on a terminal to be asked for it.");
        }
        return asked.get();
    }

    /** Reads a key file after checking that nobody but its owner can read it. */
    static MasterKey readKeyFile(Path file, Path keyset) {
        byte[] content;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
            extra.addAll(perms);
            extra.retainAll(OTHERS);
            if (!extra.isEmpty()) {
                throw invalid("The master key file " + file + " can be read or changed by other users (mode "
                        + PosixFilePermissions.toString(perms) + "); Uplift refuses to use it. Run: chmod 600 " + file
                        + " (and check that nobody copied it meanwhile).");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw invalid("The master key file " + file + " named by the keyset " + keyset + " does not exist. Put the key file back"
                    + " from where you keep it safe (backups do not hold it, on purpose); without it the keyset cannot be opened.");
        } catch (IOException e) {
            throw invalid("Cannot read the master key file " + file + ": " + e.getMessage()
                    + ". Run Uplift as the user that owns it.");
        }
        try {
            if (content.length == MasterKey.BYTES) {
                return MasterKey.of(content);
            }
            return decode(content, "the master key file " + file, "it must hold 32 random bytes, raw or as base64 text");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static MasterKey decode(byte[] text, String what, String remedy) {
        byte[] key = null;
        try {
            key = Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
            if (key.length != MasterKey.BYTES) {
                throw invalid(capitalized(what) + " holds " + key.length + " bytes, not " + MasterKey.BYTES + ": " + remedy + ".");
            }
            return MasterKey.of(key);
        } catch (IllegalArgumentException e) {
            throw invalid(capitalized(what) + " is not valid base64: " + remedy + ".");
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /**
     * Writes a new random master key to {@code file} as base64 text, readable by its owner only
     * from the first instant. An existing key file is kept and read instead.
     */
    static MasterKey createKeyFile(Path file, Path keyset) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return readKeyFile(file, keyset);
        }
        MasterKey key = MasterKey.random();
        byte[] bytes = key.bytes();
        byte[] text = (Base64.getEncoder().encodeToString(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            DurableFiles.write(file, text);
        } catch (IOException e) {
            throw invalid("Cannot write the master key file " + file + ": " + e.getMessage() + ". Check that its folder is writable.");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
        return key;
    }

    /**
     * Where {@link KeysetStore#defaultKeyFile()} puts the master key when the caller names no
     * source: beside the home, never in it: {@code HOME/config/keyset.json} gets
     * {@code HOME.master-key}; a keyset in any other folder DIR gets {@code DIR.master-key}.
     */
    static Path defaultKeyFile(Path keyset) {
        Path dir = keyset.toAbsolutePath().normalize().getParent();
        Path base = dir.getFileName() != null && dir.getFileName().toString().equals("config") && dir.getParent() != null
                && dir.getParent().getFileName() != null ? dir.getParent() : dir;
        return base.resolveSibling(base.getFileName() + ".master-key");
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static UpliftException invalid(String message) {
        return new UpliftException(ErrorCode.INSTALLATION_INVALID, message);
    }
}
