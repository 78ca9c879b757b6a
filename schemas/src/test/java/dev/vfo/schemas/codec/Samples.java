package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Arbitrary domain records (every kind, every field varied) and fixed typical ones, for codec tests. */
public final class Samples {

    private Samples() {}

    public static Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcXYZ019-_.:/").ofMinLength(1).ofMaxLength(40);
    }

    /** Any text, including non-ASCII and supplementary characters (valid UTF-16 only). */
    public static Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(60)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    }

    /** Instants the wire's timestamp-nanos holds exactly: 1677-09-21 .. 2262-04-11. */
    public static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)
                .map(n -> Instant.ofEpochSecond(0, n));
    }

    static Arbitrary<MigrationState> states() {
        return Arbitraries.of(MigrationState.class);
    }

    static Arbitrary<Optional<String>> optional(Arbitrary<String> a) {
        return a.optional();
    }

    private record Head(HostId host, AgentId agent, VmId vm, DeviceId device, long sequence, Instant at) {}

    private static Arbitrary<Head> heads() {
        return Combinators.combine(ids(), ids(), ids(), ids(), Arbitraries.longs(), instants())
                .as((h, a, v, d, s, t) -> new Head(new HostId(h), new AgentId(a), new VmId(v), new DeviceId(d), s, t));
    }

    public static Arbitrary<AgentEvent> events() {
        Arbitrary<AgentEvent> registered = Combinators.combine(heads(), text(), text(), text(), Arbitraries.longs(),
                Arbitraries.longs(), states(), text())
                .as((h, pci, drv, model, flags, est, st, ep) -> new AgentEvent.DeviceRegistered(h.host, h.agent, h.vm,
                        h.device, h.sequence, h.at, pci, drv, model, flags, est, st, ep));
        Arbitrary<AgentEvent> changed = Combinators.combine(heads(), ids().optional(), states(), states(),
                instants(), Arbitraries.longs(), text().optional())
                .as((h, ans, from, to, started, bytes, sha) -> new AgentEvent.DeviceStateChanged(h.host, h.agent, h.vm,
                        h.device, h.sequence, h.at, ans.map(CommandId::new), from, to, started, bytes, sha));
        Arbitrary<AgentEvent> failed = Combinators.combine(heads(), ids().optional(), states(), states(),
                Arbitraries.integers(), states(), text())
                .as((h, ans, from, req, errno, back, detail) -> new AgentEvent.TransitionFailed(h.host, h.agent, h.vm,
                        h.device, h.sequence, h.at, ans.map(CommandId::new), from, req, errno, back, detail));
        Arbitrary<AgentEvent> precopy = Combinators.combine(heads(), ids(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs())
                .as((h, m, init, dirty, est, sent) -> new AgentEvent.PreCopyProgress(h.host, h.agent, h.vm, h.device,
                        h.sequence, h.at, new MigrationId(m), init, dirty, est, sent));
        Arbitrary<AgentEvent.Direction> dirs = Arbitraries.of(AgentEvent.Direction.class);
        Arbitrary<AgentEvent> progress = Combinators.combine(heads(), ids(), ids(), dirs, Arbitraries.longs(),
                Arbitraries.longs())
                .as((h, m, c, d, b, e) -> new AgentEvent.DataTransferProgress(h.host, h.agent, h.vm, h.device,
                        h.sequence, h.at, new MigrationId(m), new CommandId(c), d, b, e));
        Arbitrary<AgentEvent> completed = Combinators.combine(heads(), ids(), ids(), dirs, Arbitraries.longs(), text())
                .as((h, m, c, d, b, sha) -> new AgentEvent.DataTransferCompleted(h.host, h.agent, h.vm, h.device,
                        h.sequence, h.at, new MigrationId(m), new CommandId(c), d, b, sha));
        Arbitrary<AgentEvent> xferFailed = Combinators.combine(heads(), ids(), ids(), dirs, Arbitraries.longs(), text())
                .as((h, m, c, d, b, why) -> new AgentEvent.DataTransferFailed(h.host, h.agent, h.vm, h.device,
                        h.sequence, h.at, new MigrationId(m), new CommandId(c), d, b, why));
        Arbitrary<AgentEvent.DeviceStatus> status = Combinators.combine(ids(), states(), Arbitraries.longs())
                .as((d, s, n) -> new AgentEvent.DeviceStatus(new DeviceId(d), s, n));
        Arbitrary<AgentEvent> heartbeat = Combinators.combine(heads(), Arbitraries.longs(),
                status.list().ofMaxSize(6))
                .as((h, epoch, devices) -> new AgentEvent.AgentHeartbeat(h.host, h.agent, h.vm, h.at, epoch, devices));
        return Arbitraries.oneOf(registered, changed, failed, precopy, progress, completed, xferFailed, heartbeat);
    }

    private record CommandHead(CommandId id, MigrationId migration, long epoch, HostId host, VmId vm, Instant deadline) {}

    private static Arbitrary<CommandHead> commandHeads() {
        return Combinators.combine(ids(), ids(), Arbitraries.longs(), ids(), ids(), instants())
                .as((c, m, e, h, v, d) -> new CommandHead(new CommandId(c), new MigrationId(m), e, new HostId(h),
                        new VmId(v), d));
    }

    public static Arbitrary<AgentCommand> commands() {
        Arbitrary<AgentCommand> transition = Combinators.combine(commandHeads(), ids(),
                states().filter(s -> s != MigrationState.ERROR))
                .as((c, d, t) -> new AgentCommand.TransitionDevice(c.id, c.migration, c.epoch, c.host, c.vm,
                        c.deadline, new DeviceId(d), t));
        Arbitrary<AgentCommand> start = Combinators.combine(commandHeads(), ids(), ids(), ids(), text())
                .as((c, d, dh, dd, ep) -> new AgentCommand.StartDataTransfer(c.id, c.migration, c.epoch, c.host, c.vm,
                        c.deadline, new DeviceId(d), new HostId(dh), new DeviceId(dd), ep));
        Arbitrary<AgentCommand> accept = Combinators.combine(commandHeads(), ids(), ids(), ids())
                .as((c, d, sh, sd) -> new AgentCommand.AcceptDataTransfer(c.id, c.migration, c.epoch, c.host, c.vm,
                        c.deadline, new DeviceId(d), new HostId(sh), new DeviceId(sd)));
        Arbitrary<AgentCommand> reset = Combinators.combine(commandHeads(), ids(), text())
                .as((c, d, why) -> new AgentCommand.ResetDevice(c.id, c.migration, c.epoch, c.host, c.vm,
                        c.deadline, new DeviceId(d), why));
        Arbitrary<AgentCommand> abort = Combinators.combine(commandHeads(), text())
                .as((c, why) -> new AgentCommand.AbortMigration(c.id, c.migration, c.epoch, c.host, c.vm,
                        c.deadline, why));
        return Arbitraries.oneOf(transition, start, accept, reset, abort);
    }

    // Typical records, as a real agent and coordinator write them (for sizes and fixed examples).

    static final HostId HOST = new HostId("hv-rack07-12");
    static final AgentId AGENT = new AgentId("agent-hv-rack07-12");
    static final VmId VM = new VmId("vm-7f3a9c");
    static final DeviceId DEVICE = new DeviceId("hv-rack07-12/0000:3b:00.1");
    static final MigrationId MIGRATION = new MigrationId("mig-2026-11-23-0001");
    static final Instant AT = Instant.parse("2026-11-23T21:04:05.123456789Z");

    public static AgentEvent.DeviceRegistered deviceRegistered() {
        return new AgentEvent.DeviceRegistered(HOST, AGENT, VM, DEVICE, 1, AT, "0000:3b:00.1", "mlx5_vfio_pci",
                "15b3:101e", 0x0FL, 1L << 30, MigrationState.RUNNING, "10.0.7.12:7443");
    }

    public static AgentEvent.DeviceStateChanged deviceStateChanged() {
        return new AgentEvent.DeviceStateChanged(HOST, AGENT, VM, DEVICE, 7, AT,
                Optional.of(new CommandId("cmd-000042")), MigrationState.PRE_COPY_P2P, MigrationState.STOP_COPY,
                AT.minusMillis(3), 734_003_200L,
                Optional.of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    }

    public static AgentEvent.AgentHeartbeat heartbeat() {
        return new AgentEvent.AgentHeartbeat(HOST, AGENT, VM, AT, 3, List.of(
                new AgentEvent.DeviceStatus(DEVICE, MigrationState.RUNNING, 7),
                new AgentEvent.DeviceStatus(new DeviceId("hv-rack07-12/0000:5e:00.0"), MigrationState.RUNNING, 4)));
    }

    public static AgentCommand.TransitionDevice transitionDevice() {
        return new AgentCommand.TransitionDevice(new CommandId("cmd-000042"), MIGRATION, 5, HOST, VM,
                AT.plusSeconds(30), DEVICE, MigrationState.RUNNING_P2P);
    }
}
