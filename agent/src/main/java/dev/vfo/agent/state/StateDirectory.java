package dev.vfo.agent.state;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.codec.Decoded;
import dev.vfo.schemas.codec.LogCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The agent's durable memory, kept as an append-only journal ({@code journal}) in one directory.
 * Each line is one fact; values that are not plain ids are LogCodec bytes in base64, so the journal
 * holds exactly what went (or goes) to Kafka:
 * <pre>
 *  R n               the agent started its n-th run (the heartbeat's agent epoch)
 *  V vm epoch        the newest coordinator epoch seen for a VM
 *  M dev seq state   (compaction only) a device's last recorded event
 *  E event           a device event was given its sequence number and is about to be sent
 *  F                 every E before it is acknowledged by Kafka
 *  C cmd off events  command applied (events it produced so far, appended to earlier C lines of
 *                    the same id); off is the next command offset to consume, or '-'
 *  O off             the next command offset to consume
 *  T command         a data transfer started for this command
 *  X cmd             that transfer ended (its final event is in a C line)
 * </pre>
 * The E-before-send order is what makes sequences gap-free across crashes: a number is recorded
 * before any reader can see it, and an E not followed by F is sent again after a restart (same
 * sequence, same bytes; readers drop a sequence they already applied).
 */
public final class StateDirectory implements AutoCloseable {
    /** How many applied command ids are remembered (commands are kept 7 days; this is far more). */
    public static final int REMEMBERED_COMMANDS = 10_000;
    private static final String JOURNAL = "journal";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Path dir;
    private final int remembered;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel journal;

    private long runs;
    private final Map<VmId, Long> epochs = new HashMap<>();
    private final Map<DeviceId, DeviceMark> marks = new HashMap<>();
    private final List<AgentEvent.DeviceEvent> unacked = new ArrayList<>();
    private final LinkedHashMap<CommandId, List<AgentEvent>> applied = new LinkedHashMap<>();
    private final Map<CommandId, AgentCommand> openTransfers = new LinkedHashMap<>();
    private OptionalLong offset = OptionalLong.empty();

    private StateDirectory(Path dir, int remembered) throws IOException {
        this.dir = dir;
        this.remembered = remembered;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This JVM holds it already (another agent instance in the same process).
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("the state directory " + dir + " is in use by another agent process");
        }
        this.lock = l;
    }

    /** Loads (and compacts) the journal in {@code dir}, creating the directory if needed. */
    public static StateDirectory open(Path dir) {
        return open(dir, REMEMBERED_COMMANDS);
    }

    /** With another bound on remembered command ids (tests). */
    static StateDirectory open(Path dir, int rememberedCommands) {
        try {
            StateDirectory s = new StateDirectory(Objects.requireNonNull(dir, "dir"), rememberedCommands);
            s.load();
            s.compact();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent state directory " + dir, e);
        }
    }

    public Path path() {
        return dir;
    }

    /** Counts one more run of the agent; the number is its agent epoch (first run: 1). */
    public synchronized long beginRun() {
        runs++;
        append("R " + runs);
        return runs;
    }

    public synchronized long runs() {
        return runs;
    }

    /** The newest coordinator epoch seen for {@code vm}; 0 before any. */
    public synchronized long epoch(VmId vm) {
        return epochs.getOrDefault(vm, 0L);
    }

    /** Records a newer coordinator epoch for {@code vm}; an older or equal one changes nothing. */
    public synchronized void epoch(VmId vm, long epoch) {
        if (epoch > epoch(vm)) {
            epochs.put(vm, epoch);
            append("V " + enc(vm.value()) + " " + epoch);
        }
    }

    /** The last recorded event of the device, if it ever had one. */
    public synchronized Optional<DeviceMark> mark(DeviceId device) {
        return Optional.ofNullable(marks.get(device));
    }

    /** The sequence number the device's next event must carry. */
    public synchronized long nextSequence(DeviceId device) {
        return mark(device).map(m -> m.sequence() + 1).orElse(1L);
    }

    /**
     * Records a device event before it is sent: its sequence must be the next one. The device's
     * recorded state follows the event (the state an arc reached, the read-back of a failure).
     */
    public synchronized void reserve(AgentEvent.DeviceEvent event) {
        long expected = nextSequence(event.device());
        if (event.sequence() != expected) {
            throw new IllegalStateException("event " + event.sequence() + " of " + event.device() + " is not the next ("
                    + expected + ")");
        }
        append("E " + enc(LogCodec.encode(event)));
        track(event);
        unacked.add(event);
    }

    /** Kafka acknowledged every reserved event. */
    public synchronized void acknowledged() {
        if (!unacked.isEmpty()) {
            append("F");
            unacked.clear();
        }
    }

    /** Events recorded but not known to be acknowledged: to send again after a restart. */
    public synchronized List<AgentEvent.DeviceEvent> unacknowledged() {
        return List.copyOf(unacked);
    }

    /** What an applied command produced, or empty if it was never applied. */
    public synchronized Optional<List<AgentEvent>> applied(CommandId command) {
        return Optional.ofNullable(applied.get(command)).map(List::copyOf);
    }

    /**
     * Records that {@code command} was applied (or produced more events), and, when present, the
     * offset to consume next: one line, so the two can never disagree after a crash.
     */
    public synchronized void applied(CommandId command, List<? extends AgentEvent> events, OptionalLong nextOffset) {
        StringBuilder line = new StringBuilder("C ").append(enc(command.value())).append(' ')
                .append(nextOffset.isPresent() ? Long.toString(nextOffset.getAsLong()) : "-").append(' ');
        line.append(events.isEmpty() ? "-" : String.join(",", events.stream().map(e -> enc(LogCodec.encode(e))).toList()));
        append(line.toString());
        remember(command, events);
        nextOffset.ifPresent(o -> offset = OptionalLong.of(o));
    }

    /** The next command offset to consume, if the agent ever consumed one. */
    public synchronized OptionalLong offset() {
        return offset;
    }

    public synchronized void offset(long next) {
        append("O " + next);
        offset = OptionalLong.of(next);
    }

    /** A data transfer for {@code command} is in flight. */
    public synchronized void transferStarted(AgentCommand command) {
        append("T " + enc(LogCodec.encode(command)));
        openTransfers.put(command.id(), command);
    }

    public synchronized void transferEnded(CommandId command) {
        if (openTransfers.remove(command) != null) {
            append("X " + enc(command.value()));
        }
    }

    /** Transfers recorded as started and never as ended: a restart cut them. */
    public synchronized List<AgentCommand> openTransfers() {
        return List.copyOf(openTransfers.values());
    }

    @Override
    public synchronized void close() {
        try {
            if (journal != null) {
                journal.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void track(AgentEvent.DeviceEvent e) {
        MigrationState state = switch (e.kind()) {
            case DEVICE_REGISTERED -> ((AgentEvent.DeviceRegistered) e).state();
            case DEVICE_STATE_CHANGED -> ((AgentEvent.DeviceStateChanged) e).to();
            case TRANSITION_FAILED -> ((AgentEvent.TransitionFailed) e).readBack();
            case PRE_COPY_PROGRESS, DATA_TRANSFER_PROGRESS, DATA_TRANSFER_COMPLETED, DATA_TRANSFER_FAILED,
                    AGENT_HEARTBEAT -> Optional.ofNullable(marks.get(e.device())).map(DeviceMark::state)
                    .orElse(MigrationState.RUNNING);
        };
        marks.put(e.device(), new DeviceMark(e.sequence(), state));
    }

    private void remember(CommandId command, List<? extends AgentEvent> events) {
        List<AgentEvent> all = applied.computeIfAbsent(command, c -> new ArrayList<>());
        all.addAll(events);
        while (applied.size() > remembered) {
            applied.remove(applied.keySet().iterator().next());
        }
    }

    private void load() throws IOException {
        Path file = dir.resolve(JOURNAL);
        if (!Files.exists(file)) {
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        // Anything after the last newline is a line a crash tore: it was never acknowledged to anyone.
        String[] lines = end < 0 ? new String[0] : text.substring(0, end).split("\n");
        for (int i = 0; i < lines.length; i++) {
            try {
                replay(lines[i]);
            } catch (RuntimeException e) {
                throw new IllegalStateException("state journal " + file + " line " + (i + 1) + " is corrupt: " + e, e);
            }
        }
    }

    private void replay(String line) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "R" -> runs = Long.parseLong(f[1]);
            case "V" -> epochs.merge(new VmId(dec(f[1])), Long.parseLong(f[2]), Math::max);
            case "M" -> marks.put(new DeviceId(dec(f[1])), new DeviceMark(Long.parseLong(f[2]), MigrationState.valueOf(f[3])));
            case "E" -> {
                AgentEvent.DeviceEvent e = (AgentEvent.DeviceEvent) event(f[1]);
                track(e);
                unacked.add(e);
            }
            case "F" -> unacked.clear();
            case "C" -> {
                List<AgentEvent> events = f[3].equals("-") ? List.of()
                        : List.of(f[3].split(",")).stream().map(StateDirectory::event).toList();
                remember(new CommandId(dec(f[1])), events);
                if (!f[2].equals("-")) {
                    offset = OptionalLong.of(Long.parseLong(f[2]));
                }
            }
            case "O" -> offset = OptionalLong.of(Long.parseLong(f[1]));
            case "T" -> {
                AgentCommand c = decoded(LogCodec.decodeAgentCommand(B64D.decode(f[1])));
                openTransfers.put(c.id(), c);
            }
            case "X" -> openTransfers.remove(new CommandId(dec(f[1])));
            default -> throw new IllegalArgumentException("unknown record type '" + f[0] + "'");
        }
    }

    /** Rewrites the journal as the facts it holds now: written aside, fsync'ed, renamed over. */
    private void compact() throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("R ").append(runs).append('\n');
        epochs.forEach((vm, e) -> b.append("V ").append(enc(vm.value())).append(' ').append(e).append('\n'));
        // Unacknowledged events first (replaying them re-creates the resend list), then every device's
        // current mark, which is the newest and so wins over the marks the E lines set on replay.
        unacked.forEach(e -> b.append("E ").append(enc(LogCodec.encode(e))).append('\n'));
        marks.forEach((d, m) -> b.append("M ").append(enc(d.value())).append(' ').append(m.sequence()).append(' ')
                .append(m.state().name()).append('\n'));
        applied.forEach((c, events) -> b.append("C ").append(enc(c.value())).append(" - ")
                .append(events.isEmpty() ? "-" : String.join(",", events.stream().map(e -> enc(LogCodec.encode(e))).toList()))
                .append('\n'));
        offset.ifPresent(o -> b.append("O ").append(o).append('\n'));
        openTransfers.values().forEach(c -> b.append("T ").append(enc(LogCodec.encode(c))).append('\n'));

        Path tmp = dir.resolve(JOURNAL + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, b.toString());
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the state directory's file system cannot rename atomically", e);
        }
        syncDirectory();
        journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void syncDirectory() {
        // fsync of the directory makes the rename itself durable; some platforms cannot open a directory.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Linux supports it; elsewhere the rename is as durable as the platform makes it.
        }
    }

    private void append(String line) {
        try {
            write(journal, line + "\n");
            journal.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent state journal in " + dir, e);
        }
    }

    private static void write(FileChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static AgentEvent event(String b64) {
        return decoded(LogCodec.decodeAgentEvent(B64D.decode(b64)));
    }

    private static <T> T decoded(Decoded<T> d) {
        return d.orElseThrow();
    }

    private static String enc(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    private static String dec(String s) {
        return new String(B64D.decode(s), StandardCharsets.UTF_8);
    }
}
