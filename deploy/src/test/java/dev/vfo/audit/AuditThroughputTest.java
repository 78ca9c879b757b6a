package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.sim.Simulation;
import dev.vfo.schemas.codec.LoggedRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the throughput measurement small and prints it (never asserts timing); checks the input is a clean log. */
class AuditThroughputTest {

    @Test
    void measuresACleanLog() {
        List<LoggedRecord> records = new ArrayList<>();
        for (long seed = 1; seed <= Long.getLong("vfo.audit.seeds", 40); seed++) {
            records.addAll(AuditThroughput.records(SimLogs.TOPICS, Simulation.record(seed)));
        }
        String line = AuditThroughput.measure(SimLogs.TOPICS, records, Integer.getInteger("vfo.audit.rounds", 3));
        System.out.println(line);
        assertThat(line).contains("records/s").endsWith("(violations 0)");
    }
}
