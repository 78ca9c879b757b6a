package dev.vfo.agent.device.sim;

import dev.vfo.core.vfio.MigrationState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the kernel keeps of a device while the agent that drives it is gone: its migration state
 * and the device state it holds. On the legacy group path the VM's own open of the device keeps it
 * from being closed (and reset) when the agent dies, so an agent restarting mid-quiesce must find
 * its devices still in RUNNING_P2P, not a fresh RUNNING. A simulated device with a hold file
 * writes it before it answers an arc, as the kernel has changed the state before the ioctl
 * returns; data sessions do not survive (their fds died with the agent).
 *
 * <p>Format: one line, {@code <state> <seed> <generation> <origin>}; written to a temporary file
 * and moved over the old one, so a crash leaves the old or the new state, never half of one.
 */
public record HeldState(MigrationState state, ContentIdentity content) {
    public HeldState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(content, "content");
    }

    /** The state held in {@code file}, if a previous run of the agent left one. */
    public static Optional<HeldState> load(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String[] f = lines.isEmpty() ? new String[0] : lines.get(0).split(" ", 4);
            if (f.length != 4) {
                throw new IllegalStateException("the simulated device state in " + file + " is malformed: " + lines);
            }
            return Optional.of(new HeldState(MigrationState.valueOf(f[0]),
                    new ContentIdentity(f[3], Long.parseLong(f[1]), Long.parseLong(f[2]))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulated device state " + file, e);
        }
    }

    public void store(Path file) {
        String line = state.name() + " " + content.seed() + " " + content.generation() + " " + content.origin() + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulated device state " + file, e);
        }
    }
}
