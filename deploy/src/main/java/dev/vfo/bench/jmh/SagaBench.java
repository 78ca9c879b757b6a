package dev.vfo.bench.jmh;

import dev.vfo.bench.InstantAgents;
import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.saga.MigrationSaga;
import dev.vfo.core.saga.Phase;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.core.saga.SagaState;
import dev.vfo.core.vfio.MigrationState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The coordinator's pure work per input: {@code decide} then {@code fold}, as its loop does for
 * every record it consumes. The inputs are the ones that matter for downtime: a device's
 * RUNNING_P2P report inside the quiesce barrier of an 8-device VM, both one that leaves the barrier
 * waiting and the last one, which releases it and issues the eight STOP_COPY commands.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SagaBench {

    /** An 8-device VM in QUIESCE with 6 (resp. 7) of its 8 source devices at RUNNING_P2P. */
    @State(Scope.Benchmark)
    public static class Barrier {
        public static final int DEVICES = 8;
        MigrationSaga saga;
        SagaState sixQuiesced;
        SagaInput seventh;
        SagaState sevenQuiesced;
        SagaInput last;

        @Setup
        public void build() {
            InstantAgents vm = new InstantAgents("vm-barrier", DEVICES);
            vm.start();
            vm.answerUntil(a -> a.phase().orElse(null) == Phase.QUIESCE);
            List<AgentCommand.TransitionDevice> quiesce = vm.pending().stream()
                    .filter(c -> c instanceof AgentCommand.TransitionDevice)
                    .map(AgentCommand.TransitionDevice.class::cast)
                    .filter(t -> t.target() == MigrationState.RUNNING_P2P).toList();
            if (quiesce.size() != DEVICES) {
                throw new IllegalStateException("expected " + DEVICES + " quiesce commands, got " + quiesce);
            }
            for (int i = 0; i < DEVICES - 2; i++) {
                vm.answerNow(quiesce.get(i));
            }
            saga = vm.saga();
            sixQuiesced = vm.state();
            seventh = vm.reached(quiesce.get(DEVICES - 2));
            vm.answerNow(quiesce.get(DEVICES - 2));
            sevenQuiesced = vm.state();
            last = vm.reached(quiesce.get(DEVICES - 1));
            if (saga.decide(last, sevenQuiesced).size() < DEVICES) {
                throw new IllegalStateException("the last RUNNING_P2P report did not release the barrier");
            }
        }
    }

    @Benchmark
    public SagaState barrierReportWaiting(Barrier b) {
        return b.saga.fold(b.sixQuiesced, b.saga.decide(b.seventh, b.sixQuiesced));
    }

    @Benchmark
    public SagaState barrierReportReleasing(Barrier b) {
        return b.saga.fold(b.sevenQuiesced, b.saga.decide(b.last, b.sevenQuiesced));
    }

    /**
     * A whole 8-device migration with zero-latency devices: registration of 16 devices, the
     * request, every report to completion. One op is one migration.
     */
    @Benchmark
    public SagaState fullMigration8() {
        InstantAgents vm = new InstantAgents("vm-full", 8);
        vm.migrate();
        return vm.state();
    }
}
