package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.avro.command.AbortMigration;
import dev.vfo.schemas.avro.command.AcceptDataTransfer;
import dev.vfo.schemas.avro.command.ResetDevice;
import dev.vfo.schemas.avro.command.StartDataTransfer;
import dev.vfo.schemas.avro.command.TransitionDevice;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/** {@link AgentCommand} records to and from the generated {@code dev.vfo.schemas.avro.command} classes. */
final class CommandMapping {

    static final Set<String> TYPES = Set.of(
            TransitionDevice.getClassSchema().getFullName(),
            StartDataTransfer.getClassSchema().getFullName(),
            AcceptDataTransfer.getClassSchema().getFullName(),
            ResetDevice.getClassSchema().getFullName(),
            AbortMigration.getClassSchema().getFullName());

    private CommandMapping() {}

    static SpecificRecord toAvro(AgentCommand command) {
        switch (command.kind()) {
            case TRANSITION_DEVICE: {
                AgentCommand.TransitionDevice c = (AgentCommand.TransitionDevice) command;
                return TransitionDevice.newBuilder()
                        .setId(c.id().value()).setMigration(c.migration().value())
                        .setCoordinatorEpoch(c.coordinatorEpoch()).setHost(c.host().value()).setVm(c.vm().value())
                        .setDeadline(c.deadline()).setDevice(c.device().value())
                        .setTarget(Vocabulary.toAvro(c.target()))
                        .build();
            }
            case START_DATA_TRANSFER: {
                AgentCommand.StartDataTransfer c = (AgentCommand.StartDataTransfer) command;
                return StartDataTransfer.newBuilder()
                        .setId(c.id().value()).setMigration(c.migration().value())
                        .setCoordinatorEpoch(c.coordinatorEpoch()).setHost(c.host().value()).setVm(c.vm().value())
                        .setDeadline(c.deadline()).setDevice(c.device().value())
                        .setDestinationHost(c.destinationHost().value())
                        .setDestinationDevice(c.destinationDevice().value())
                        .setDestinationEndpoint(c.destinationEndpoint())
                        .build();
            }
            case ACCEPT_DATA_TRANSFER: {
                AgentCommand.AcceptDataTransfer c = (AgentCommand.AcceptDataTransfer) command;
                return AcceptDataTransfer.newBuilder()
                        .setId(c.id().value()).setMigration(c.migration().value())
                        .setCoordinatorEpoch(c.coordinatorEpoch()).setHost(c.host().value()).setVm(c.vm().value())
                        .setDeadline(c.deadline()).setDevice(c.device().value())
                        .setSourceHost(c.sourceHost().value()).setSourceDevice(c.sourceDevice().value())
                        .build();
            }
            case RESET_DEVICE: {
                AgentCommand.ResetDevice c = (AgentCommand.ResetDevice) command;
                return ResetDevice.newBuilder()
                        .setId(c.id().value()).setMigration(c.migration().value())
                        .setCoordinatorEpoch(c.coordinatorEpoch()).setHost(c.host().value()).setVm(c.vm().value())
                        .setDeadline(c.deadline()).setDevice(c.device().value()).setReason(c.reason())
                        .build();
            }
            case ABORT_MIGRATION: {
                AgentCommand.AbortMigration c = (AgentCommand.AbortMigration) command;
                return AbortMigration.newBuilder()
                        .setId(c.id().value()).setMigration(c.migration().value())
                        .setCoordinatorEpoch(c.coordinatorEpoch()).setHost(c.host().value()).setVm(c.vm().value())
                        .setDeadline(c.deadline()).setReason(c.reason())
                        .build();
            }
        }
        throw new IllegalArgumentException("unreachable: " + command.kind());
    }

    /** Throws {@link Refusal} or {@link IllegalArgumentException} for a datum the domain refuses. */
    static AgentCommand toDomain(SpecificRecord record) {
        if (record instanceof TransitionDevice) {
            TransitionDevice r = (TransitionDevice) record;
            return new AgentCommand.TransitionDevice(new CommandId(r.getId()), new MigrationId(r.getMigration()),
                    r.getCoordinatorEpoch(), new HostId(r.getHost()), new VmId(r.getVm()), r.getDeadline(),
                    new DeviceId(r.getDevice()), Vocabulary.toDomain(r.getTarget(), "target"));
        }
        if (record instanceof StartDataTransfer) {
            StartDataTransfer r = (StartDataTransfer) record;
            return new AgentCommand.StartDataTransfer(new CommandId(r.getId()), new MigrationId(r.getMigration()),
                    r.getCoordinatorEpoch(), new HostId(r.getHost()), new VmId(r.getVm()), r.getDeadline(),
                    new DeviceId(r.getDevice()), new HostId(r.getDestinationHost()),
                    new DeviceId(r.getDestinationDevice()), r.getDestinationEndpoint());
        }
        if (record instanceof AcceptDataTransfer) {
            AcceptDataTransfer r = (AcceptDataTransfer) record;
            return new AgentCommand.AcceptDataTransfer(new CommandId(r.getId()), new MigrationId(r.getMigration()),
                    r.getCoordinatorEpoch(), new HostId(r.getHost()), new VmId(r.getVm()), r.getDeadline(),
                    new DeviceId(r.getDevice()), new HostId(r.getSourceHost()), new DeviceId(r.getSourceDevice()));
        }
        if (record instanceof ResetDevice) {
            ResetDevice r = (ResetDevice) record;
            return new AgentCommand.ResetDevice(new CommandId(r.getId()), new MigrationId(r.getMigration()),
                    r.getCoordinatorEpoch(), new HostId(r.getHost()), new VmId(r.getVm()), r.getDeadline(),
                    new DeviceId(r.getDevice()), r.getReason());
        }
        if (record instanceof AbortMigration) {
            AbortMigration r = (AbortMigration) record;
            return new AgentCommand.AbortMigration(new CommandId(r.getId()), new MigrationId(r.getMigration()),
                    r.getCoordinatorEpoch(), new HostId(r.getHost()), new VmId(r.getVm()), r.getDeadline(),
                    r.getReason());
        }
        throw new Refusal(Failure.Reason.UNEXPECTED_TYPE, record.getSchema().getFullName() + " is not an agent command");
    }
}
