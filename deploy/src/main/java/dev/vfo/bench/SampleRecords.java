package dev.vfo.bench;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.SagaEvent;
import dev.vfo.core.vfio.MigrationState;
import dev.vfo.schemas.chain.ChainHead;
import dev.vfo.schemas.codec.CoordinatorLogEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * Typical records of the log, with realistic id lengths: what an agent reports most
 * (DeviceStateChanged answering a command) and what the coordinator writes most (a CommandIssued
 * entry of its log).
 */
public final class SampleRecords {

    private static final Instant AT = Instant.parse("2026-11-23T21:00:00.123456789Z");

    private SampleRecords() {}

    /** Device {@code i} of VM {@code vm} reached RUNNING_P2P, answering a coordinator command. */
    public static AgentEvent.DeviceStateChanged deviceStateChanged(int vm, int i, long sequence) {
        HostId host = new HostId("hv-rack07-node" + (vm % 100));
        return new AgentEvent.DeviceStateChanged(host, new AgentId("agent-" + host.value()), new VmId("vm-" + vm),
                new DeviceId("vm-" + vm + "-0000:3b:00." + i), sequence, AT.plusNanos(sequence),
                Optional.of(new CommandId("c" + sequence + ".e1.mig-" + vm)), MigrationState.RUNNING,
                MigrationState.RUNNING_P2P, AT, 0, Optional.empty());
    }

    public static AgentCommand.TransitionDevice stopCopyCommand(int vm, int i) {
        HostId host = new HostId("hv-rack07-node" + (vm % 100));
        return new AgentCommand.TransitionDevice(new CommandId("c42.e1.mig-" + vm), new MigrationId("mig-" + vm), 1,
                host, new VmId("vm-" + vm), AT.plusSeconds(5), new DeviceId("vm-" + vm + "-0000:3b:00." + i),
                MigrationState.STOP_COPY);
    }

    /** The coordinator-log entry recording that command, 42nd of its VM's chain. */
    public static CoordinatorLogEntry commandIssuedEntry(int vm) {
        ChainHead genesis = ChainHead.genesis(new VmId("vm-" + vm));
        return new CoordinatorLogEntry(genesis.vm(), 42, genesis.hash(), new SagaEvent.CommandIssued(stopCopyCommand(vm, 0)));
    }
}
