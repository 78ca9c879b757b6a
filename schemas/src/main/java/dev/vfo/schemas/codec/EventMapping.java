package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.schemas.avro.event.AgentHeartbeat;
import dev.vfo.schemas.avro.event.DataTransferCompleted;
import dev.vfo.schemas.avro.event.DataTransferFailed;
import dev.vfo.schemas.avro.event.DataTransferProgress;
import dev.vfo.schemas.avro.event.DeviceRegistered;
import dev.vfo.schemas.avro.event.DeviceStateChanged;
import dev.vfo.schemas.avro.event.DeviceStatus;
import dev.vfo.schemas.avro.event.PreCopyProgress;
import dev.vfo.schemas.avro.event.TransitionFailed;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/** {@link AgentEvent} records to and from the generated {@code dev.vfo.schemas.avro.event} classes. */
final class EventMapping {

    static final Set<String> TYPES = Set.of(
            DeviceRegistered.getClassSchema().getFullName(),
            DeviceStateChanged.getClassSchema().getFullName(),
            TransitionFailed.getClassSchema().getFullName(),
            PreCopyProgress.getClassSchema().getFullName(),
            DataTransferProgress.getClassSchema().getFullName(),
            DataTransferCompleted.getClassSchema().getFullName(),
            DataTransferFailed.getClassSchema().getFullName(),
            AgentHeartbeat.getClassSchema().getFullName());

    private EventMapping() {}

    static SpecificRecord toAvro(AgentEvent event) {
        switch (event.kind()) {
            case DEVICE_REGISTERED: {
                AgentEvent.DeviceRegistered e = (AgentEvent.DeviceRegistered) event;
                return DeviceRegistered.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setPciAddress(e.pciAddress()).setDriver(e.driver()).setModel(e.model())
                        .setMigrationFlags(e.migrationFlags()).setStopCopySizeEstimate(e.stopCopySizeEstimate())
                        .setState(Vocabulary.toAvro(e.state())).setTransferEndpoint(e.transferEndpoint())
                        .build();
            }
            case DEVICE_STATE_CHANGED: {
                AgentEvent.DeviceStateChanged e = (AgentEvent.DeviceStateChanged) event;
                return DeviceStateChanged.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setAnswers(e.answers().map(CommandId::value).orElse(null))
                        .setFrom(Vocabulary.toAvro(e.from())).setTo(Vocabulary.toAvro(e.to()))
                        .setStartedAt(e.startedAt()).setBytes(e.bytes()).setSha256(e.sha256().orElse(null))
                        .build();
            }
            case TRANSITION_FAILED: {
                AgentEvent.TransitionFailed e = (AgentEvent.TransitionFailed) event;
                return TransitionFailed.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setAnswers(e.answers().map(CommandId::value).orElse(null))
                        .setFrom(Vocabulary.toAvro(e.from())).setRequested(Vocabulary.toAvro(e.requested()))
                        .setErrno(e.errno()).setReadBack(Vocabulary.toAvro(e.readBack())).setDetail(e.detail())
                        .build();
            }
            case PRE_COPY_PROGRESS: {
                AgentEvent.PreCopyProgress e = (AgentEvent.PreCopyProgress) event;
                return PreCopyProgress.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setMigration(e.migration().value()).setInitialBytes(e.initialBytes())
                        .setDirtyBytes(e.dirtyBytes()).setStopCopySizeEstimate(e.stopCopySizeEstimate())
                        .setBytesSent(e.bytesSent())
                        .build();
            }
            case DATA_TRANSFER_PROGRESS: {
                AgentEvent.DataTransferProgress e = (AgentEvent.DataTransferProgress) event;
                return DataTransferProgress.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setMigration(e.migration().value()).setAnswers(e.answers().value())
                        .setDirection(Vocabulary.toAvro(e.direction())).setBytes(e.bytes())
                        .setExpectedBytes(e.expectedBytes())
                        .build();
            }
            case DATA_TRANSFER_COMPLETED: {
                AgentEvent.DataTransferCompleted e = (AgentEvent.DataTransferCompleted) event;
                return DataTransferCompleted.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setMigration(e.migration().value()).setAnswers(e.answers().value())
                        .setDirection(Vocabulary.toAvro(e.direction())).setBytes(e.bytes()).setSha256(e.sha256())
                        .build();
            }
            case DATA_TRANSFER_FAILED: {
                AgentEvent.DataTransferFailed e = (AgentEvent.DataTransferFailed) event;
                return DataTransferFailed.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setDevice(e.device().value()).setSequence(e.sequence()).setAt(e.at())
                        .setMigration(e.migration().value()).setAnswers(e.answers().value())
                        .setDirection(Vocabulary.toAvro(e.direction())).setBytes(e.bytes()).setReason(e.reason())
                        .build();
            }
            case AGENT_HEARTBEAT: {
                AgentEvent.AgentHeartbeat e = (AgentEvent.AgentHeartbeat) event;
                List<DeviceStatus> devices = e.devices().stream()
                        .map(d -> DeviceStatus.newBuilder().setDevice(d.device().value())
                                .setState(Vocabulary.toAvro(d.state())).setLastSequence(d.lastSequence()).build())
                        .collect(Collectors.toList());
                return AgentHeartbeat.newBuilder()
                        .setHost(e.host().value()).setAgent(e.agent().value()).setVm(e.vm().value())
                        .setAt(e.at()).setAgentEpoch(e.agentEpoch()).setDevices(devices)
                        .build();
            }
        }
        throw new IllegalArgumentException("unreachable: " + event.kind());
    }

    /** Throws {@link Refusal} or {@link IllegalArgumentException} for a datum the domain refuses. */
    static AgentEvent toDomain(SpecificRecord record) {
        if (record instanceof DeviceRegistered) {
            DeviceRegistered r = (DeviceRegistered) record;
            return new AgentEvent.DeviceRegistered(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(), r.getPciAddress(),
                    r.getDriver(), r.getModel(), r.getMigrationFlags(), r.getStopCopySizeEstimate(),
                    Vocabulary.toDomain(r.getState(), "state"), r.getTransferEndpoint());
        }
        if (record instanceof DeviceStateChanged) {
            DeviceStateChanged r = (DeviceStateChanged) record;
            return new AgentEvent.DeviceStateChanged(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    Optional.ofNullable(r.getAnswers()).map(CommandId::new),
                    Vocabulary.toDomain(r.getFrom(), "from"), Vocabulary.toDomain(r.getTo(), "to"),
                    r.getStartedAt(), r.getBytes(), Optional.ofNullable(r.getSha256()));
        }
        if (record instanceof TransitionFailed) {
            TransitionFailed r = (TransitionFailed) record;
            return new AgentEvent.TransitionFailed(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    Optional.ofNullable(r.getAnswers()).map(CommandId::new),
                    Vocabulary.toDomain(r.getFrom(), "from"), Vocabulary.toDomain(r.getRequested(), "requested"),
                    r.getErrno(), Vocabulary.toDomain(r.getReadBack(), "readBack"), r.getDetail());
        }
        if (record instanceof PreCopyProgress) {
            PreCopyProgress r = (PreCopyProgress) record;
            return new AgentEvent.PreCopyProgress(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    new MigrationId(r.getMigration()), r.getInitialBytes(), r.getDirtyBytes(),
                    r.getStopCopySizeEstimate(), r.getBytesSent());
        }
        if (record instanceof DataTransferProgress) {
            DataTransferProgress r = (DataTransferProgress) record;
            return new AgentEvent.DataTransferProgress(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    new MigrationId(r.getMigration()), new CommandId(r.getAnswers()),
                    Vocabulary.toDomain(r.getDirection(), "direction"), r.getBytes(), r.getExpectedBytes());
        }
        if (record instanceof DataTransferCompleted) {
            DataTransferCompleted r = (DataTransferCompleted) record;
            return new AgentEvent.DataTransferCompleted(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    new MigrationId(r.getMigration()), new CommandId(r.getAnswers()),
                    Vocabulary.toDomain(r.getDirection(), "direction"), r.getBytes(), r.getSha256());
        }
        if (record instanceof DataTransferFailed) {
            DataTransferFailed r = (DataTransferFailed) record;
            return new AgentEvent.DataTransferFailed(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), new DeviceId(r.getDevice()), r.getSequence(), r.getAt(),
                    new MigrationId(r.getMigration()), new CommandId(r.getAnswers()),
                    Vocabulary.toDomain(r.getDirection(), "direction"), r.getBytes(), r.getReason());
        }
        if (record instanceof AgentHeartbeat) {
            AgentHeartbeat r = (AgentHeartbeat) record;
            List<AgentEvent.DeviceStatus> devices = new java.util.ArrayList<>(r.getDevices().size());
            for (var d : r.getDevices()) {
                devices.add(new AgentEvent.DeviceStatus(new DeviceId(d.getDevice()),
                        Vocabulary.toDomain(d.getState(), "devices.state"), d.getLastSequence()));
            }
            return new AgentEvent.AgentHeartbeat(new HostId(r.getHost()), new AgentId(r.getAgent()),
                    new VmId(r.getVm()), r.getAt(), r.getAgentEpoch(), devices);
        }
        throw new Refusal(Failure.Reason.UNEXPECTED_TYPE, record.getSchema().getFullName() + " is not an agent event");
    }
}
