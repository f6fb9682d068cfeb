package io.uplift.cluster;

import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The agent's last word about itself in HOME/.uplift/agent-status ("connected", or why it cannot
 * reach the database): the one place an operator can read it while the database is away, since
 * uplift_agents lives in that database.
 */
final class AgentStatusFile {
    private final Path file;
    private String last = "";

    AgentStatusFile(Path upliftDir) {
        this.file = upliftDir.resolve("agent-status");
    }

    void write(String status) {
        if (status.equals(last)) {
            return;
        }
        try {
            DurableFiles.write(file, (Instant.now() + " " + status + "\n").getBytes(StandardCharsets.UTF_8));
            last = status;
        } catch (IOException | RuntimeException e) {
            // Only a convenience for 'uplift nodes'; the agent goes on without it.
        }
    }

    static Optional<String> read(Path upliftDir) {
        try {
            return Optional.of(Files.readString(upliftDir.resolve("agent-status"), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
