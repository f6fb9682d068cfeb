package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One changing command per installation; looking at the lock never takes it from a command. */
class HomeLockTest {
    @TempDir
    Path dir;
    Path lockFile;

    @BeforeEach
    void home() throws Exception {
        Files.createDirectories(dir.resolve("home"));
        lockFile = dir.resolve("home/.uplift/lock");
    }

    @Test
    void theFirstCommandGetsTheLockAndWritesWhoHoldsItAndASecondOneIsTurnedAway() throws Exception {
        try (HomeLock held = HomeLock.tryAcquire(lockFile, "uplift upgrade --to 2.1").orElseThrow()) {
            assertThat(HomeLock.tryAcquire(lockFile, "uplift rollback")).isEmpty();
            assertThat(HomeLock.holder(lockFile)).hasValueSatisfying(h -> assertThat(h)
                    .startsWith("pid " + ProcessHandle.current().pid() + " on ")
                    .contains("'uplift upgrade --to 2.1', since "));
            assertThatThrownBy(() -> HomeLock.acquire(lockFile, "uplift rollback"))
                    .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED))
                    .hasMessageContaining("'uplift upgrade --to 2.1'").hasMessageContaining("the lock frees itself");
        }
    }

    @Test
    void aReleasedLockIsFreeAgainAndTheNextHolderReplacesTheOwnerLine() throws Exception {
        HomeLock.acquire(lockFile, "uplift upgrade --to 2.1 with a long command line").close();

        assertThat(HomeLock.holder(lockFile)).as("the file stays but nobody holds it").isEmpty();
        try (HomeLock again = HomeLock.acquire(lockFile, "uplift resume")) {
            assertThat(HomeLock.holder(lockFile)).hasValueSatisfying(h -> assertThat(h)
                    .contains("'uplift resume'").doesNotContain("long command line"));
        }
    }

    @Test
    void thereIsNoHolderWhenNoLockFileExistsAndAskingCreatesNone() {
        assertThat(HomeLock.holder(lockFile)).isEmpty();
        assertThat(lockFile).doesNotExist();
    }

    @Test
    void aFolderAtTheLockFilesPlaceIsRefusedAsNotAPlainFile() throws Exception {
        Files.createDirectories(lockFile);

        assertThatThrownBy(() -> HomeLock.tryAcquire(lockFile, "uplift upgrade"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(lockFile.toString());
    }

    @Test
    void aProbeHoldingTheCommandByteSharedIsSeenByACommandOnlyAsNotRunning() throws Exception {
        Files.createDirectories(lockFile.getParent());
        try (FileChannel probe = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(LockGate.commandHolds(probe)).as("nobody holds it").isFalse();
            try (HomeLock held = HomeLock.acquire(lockFile, "uplift upgrade")) {
                assertThat(LockGate.commandHolds(probe)).isTrue();
            }
            assertThat(LockGate.commandHolds(probe)).isFalse();
        }
    }

    @Test
    void aCommandNeverFindsTheLockTakenByThreadsThatOnlyLookAtIt() throws Exception {
        HomeLock.acquire(lockFile, "create the file").close();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch probing = new CountDownLatch(2);
        Runnable look = () -> {
            probing.countDown();
            while (!stop.get()) {
                HomeLock.holder(lockFile);
                probes.incrementAndGet();
            }
        };
        Thread a = new Thread(look);
        Thread b = new Thread(look);
        a.start();
        b.start();
        probing.await();
        int refused = 0;
        try {
            for (int i = 0; i < 50; i++) {
                Optional<HomeLock> lock = HomeLock.tryAcquire(lockFile, "uplift upgrade");
                if (lock.isEmpty()) {
                    refused++;
                } else {
                    lock.get().close();
                }
            }
        } finally {
            stop.set(true);
            a.join();
            b.join();
        }
        assertThat(probes.get()).as("the probes really ran meanwhile").isPositive();
        assertThat(refused).isZero();
    }
}
