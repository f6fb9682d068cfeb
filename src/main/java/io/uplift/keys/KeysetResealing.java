package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * 'uplift keys protect' on the file: seals a keyset with another master key source, keeping its
 * keys. This is also the one migration of the legacy format: a keyset still in clear, as Uplift
 * wrote it before encryption at rest ({@link LegacyKeyset}), is sealed for the first time; loading
 * refuses it until then.
 */
public final class KeysetResealing {
    /** The keyset found in the file, and the source it is sealed with (empty for a keyset still in clear). */
    public record Found(InstallationKeyset keyset, Optional<MasterKeySource> source) {}

    private KeysetResealing() {}

    /** The keyset {@link #reseal} would seal, read but not written: a keyset in clear, or a sealed one opened with {@code env}. */
    public static Found find(Path file, KeyEnvironment env) {
        if (LegacyKeyset.isCleartext(file)) {
            return new Found(new InstallationKeyset(LegacyKeyset.read(file)), Optional.empty());
        }
        SealedKeyset opened = KeysetStore.of(file).open(env);
        return new Found(opened.keyset(), Optional.of(opened.seal().source()));
    }

    /** Seals the keyset {@code file} with the master key of {@code target}, written atomically. */
    public static SealedKeyset reseal(Path file, MasterKeySource target, KeyEnvironment env) {
        InstallationKeyset keyset = find(file, env).keyset();
        KeysetStore store = KeysetStore.of(file);
        KeysetSeal seal = store.newSeal(target, env);
        store.write(keyset, seal);
        return new SealedKeyset(keyset, seal);
    }
}
