package dev.vfo.agent.device.sim;

import dev.vfo.core.vfio.Errno;
import dev.vfo.core.vfio.MigrationCapability;
import dev.vfo.core.vfio.MigrationFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything that makes one simulated device: its name and model (a destination only accepts a
 * stream of its own model), the raw migration flags (any word, including undefined combinations;
 * 0 means no migration support, answered with ENOTTY), its content identity, its sizes, its dirty
 * rate while pre-copying, its latency, the faults to inject, and what an undecodable resumed
 * stream does.
 *
 * @param stateBytes the iterative state: sent as PRE_COPY initial data, or in STOP_COPY without pre-copy
 * @param residueBytes state only a stopped device can give, always sent in STOP_COPY
 * @param dirtyBytesPerSecond how fast a pre-copying device dirties state already sent
 * @param chunkBytes the largest data frame payload (the stream is produced a frame at a time)
 * @param invalidStreamErrno the errno of a RESUMING&gt;STOP whose stream does not decode
 * @param invalidStreamAfter where such a failed commit leaves the device
 */
public record SimulatedDeviceSpec(String name, String model, MigrationFlags flags, ContentIdentity content,
        long stateBytes, long residueBytes, long dirtyBytesPerSecond, int chunkBytes, LatencyModel latency,
        List<ArcFault> faults, int invalidStreamErrno, AfterFailure invalidStreamAfter) {

    public static final int DEFAULT_CHUNK = 256 << 10;

    public SimulatedDeviceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(invalidStreamAfter, "invalidStreamAfter");
        faults = List.copyOf(faults);
        if (StreamFrame.utf8(model).length > StreamFrame.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("model longer than " + StreamFrame.MAX_NAME_BYTES + " bytes");
        }
        if (stateBytes < 0 || residueBytes < 0 || dirtyBytesPerSecond < 0) {
            throw new IllegalArgumentException("sizes and rates must not be negative");
        }
        if (chunkBytes < 8 || chunkBytes > StreamFrame.MAX_DATA_PAYLOAD) {
            throw new IllegalArgumentException("chunkBytes must be 8.." + StreamFrame.MAX_DATA_PAYLOAD);
        }
        if (invalidStreamErrno <= 0) {
            throw new IllegalArgumentException("errno must be positive");
        }
    }

    /**
     * A device with every migration feature, 1 MiB of state and 4 KiB of residue, no dirtying, no
     * latency and no faults; an undecodable stream fails with EINVAL into ERROR.
     */
    public static SimulatedDeviceSpec of(String name) {
        return new SimulatedDeviceSpec(name, "vfo-sim", MigrationCapability.STOP_COPY_P2P_PRE_COPY.flags(),
                new ContentIdentity(name, 0, 0), 1 << 20, 4 << 10, 0, DEFAULT_CHUNK, LatencyModel.NONE, List.of(),
                Errno.EINVAL.value(), AfterFailure.ERROR);
    }

    public SimulatedDeviceSpec withModel(String m) {
        return new SimulatedDeviceSpec(name, m, flags, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withFlags(MigrationFlags f) {
        return new SimulatedDeviceSpec(name, model, f, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withCapability(MigrationCapability c) {
        return withFlags(c.flags());
    }

    public SimulatedDeviceSpec withContent(ContentIdentity c) {
        return new SimulatedDeviceSpec(name, model, flags, c, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withSizes(long state, long residue) {
        return new SimulatedDeviceSpec(name, model, flags, content, state, residue, dirtyBytesPerSecond,
                chunkBytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withDirtyRate(long bytesPerSecond) {
        return new SimulatedDeviceSpec(name, model, flags, content, stateBytes, residueBytes, bytesPerSecond,
                chunkBytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withChunk(int bytes) {
        return new SimulatedDeviceSpec(name, model, flags, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                bytes, latency, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withLatency(LatencyModel l) {
        return new SimulatedDeviceSpec(name, model, flags, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, l, faults, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withFault(ArcFault fault) {
        List<ArcFault> all = new ArrayList<>(faults);
        all.add(fault);
        return new SimulatedDeviceSpec(name, model, flags, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, latency, all, invalidStreamErrno, invalidStreamAfter);
    }

    public SimulatedDeviceSpec withInvalidStream(int errno, AfterFailure after) {
        return new SimulatedDeviceSpec(name, model, flags, content, stateBytes, residueBytes, dirtyBytesPerSecond,
                chunkBytes, latency, faults, errno, after);
    }
}
