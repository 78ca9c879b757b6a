package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.saga.KnownDevice;
import dev.vfo.core.saga.SagaState;
import dev.vfo.schemas.avro.Sha256;
import dev.vfo.schemas.avro.snapshot.SnapshotDevice;
import dev.vfo.schemas.chain.ChainHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/** {@link SagaSnapshot} to and from its Avro record. */
final class SnapshotMapping {
    static final Set<String> TYPES = Set.of(dev.vfo.schemas.avro.snapshot.SagaSnapshot.getClassSchema().getFullName());

    private SnapshotMapping() {}

    static SpecificRecord toAvro(SagaSnapshot s) {
        List<SnapshotDevice> devices = new ArrayList<>();
        for (KnownDevice d : s.state().inventory().values()) {
            devices.add(SnapshotDevice.newBuilder().setDevice(d.device().value()).setHost(d.host().value())
                    .setAgent(d.agent().value()).setModel(d.model()).setMigrationFlags(d.migrationFlags())
                    .setStopCopySizeEstimate(d.stopCopySizeEstimate()).setTransferEndpoint(d.transferEndpoint())
                    .setState(Vocabulary.toAvro(d.state())).setLastSequence(d.lastSequence()).setLastSeen(d.lastSeen())
                    .build());
        }
        return dev.vfo.schemas.avro.snapshot.SagaSnapshot.newBuilder().setVm(s.vm().value())
                .setLogOffset(s.logOffset()).setChainSequence(s.head().sequence())
                .setChainHash(new Sha256(s.head().hash().bytes())).setClock(s.state().clock())
                .setEpoch(s.state().epoch()).setCommandCounter(s.state().commandCounter()).setInventory(devices)
                .setRecentlyFinished(s.state().recentlyFinished().stream().map(MigrationId::value).toList())
                .build();
    }

    static SagaSnapshot toDomain(SpecificRecord record) {
        dev.vfo.schemas.avro.snapshot.SagaSnapshot r = (dev.vfo.schemas.avro.snapshot.SagaSnapshot) record;
        VmId vm = new VmId(r.getVm());
        TreeMap<DeviceId, KnownDevice> inventory = new TreeMap<>();
        for (SnapshotDevice d : r.getInventory()) {
            KnownDevice k = new KnownDevice(new DeviceId(d.getDevice()), new HostId(d.getHost()),
                    new AgentId(d.getAgent()), d.getModel(), d.getMigrationFlags(), d.getStopCopySizeEstimate(),
                    d.getTransferEndpoint(), Vocabulary.toDomain(d.getState(), "SnapshotDevice.state"),
                    d.getLastSequence(), d.getLastSeen());
            inventory.put(k.device(), k);
        }
        SagaState state = new SagaState(r.getClock(), r.getEpoch(), r.getCommandCounter(), inventory, Optional.empty(),
                r.getRecentlyFinished().stream().map(MigrationId::new).toList());
        return new SagaSnapshot(vm, r.getLogOffset(),
                new ChainHead(vm, r.getChainSequence(), Digest.of(r.getChainHash().bytes())), state);
    }
}
