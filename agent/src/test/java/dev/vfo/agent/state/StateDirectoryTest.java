package dev.vfo.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vfo.core.protocol.AgentCommand;
import dev.vfo.core.protocol.AgentEvent;
import dev.vfo.core.protocol.AgentId;
import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    static final HostId HOST = new HostId("host-a");
    static final AgentId AGENT = new AgentId("host-a-agent");
    static final VmId VM = new VmId("vm-1");
    static final DeviceId DEV = new DeviceId("host-a/dev-0");
    static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    static AgentEvent.DeviceStateChanged changed(long seq, MigrationState from, MigrationState to, String cmd) {
        return new AgentEvent.DeviceStateChanged(HOST, AGENT, VM, DEV, seq, T, Optional.of(new CommandId(cmd)), from, to,
                T, 0, Optional.empty());
    }

    @Test
    void everything_recorded_survives_a_reopen() {
        AgentEvent.DeviceStateChanged e1 = changed(1, MigrationState.RUNNING, MigrationState.RUNNING_P2P, "c1");
        AgentEvent.DeviceStateChanged e2 = changed(2, MigrationState.RUNNING_P2P, MigrationState.STOP, "c1");
        AgentCommand.AcceptDataTransfer accept = new AgentCommand.AcceptDataTransfer(new CommandId("c2"),
                new MigrationId("m1"), 4, HOST, VM, T, DEV, new HostId("host-b"), new DeviceId("host-b/dev-9"));
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.beginRun()).isEqualTo(1);
            s.epoch(VM, 4);
            s.epoch(VM, 3);
            s.reserve(e1);
            s.reserve(e2);
            s.acknowledged();
            s.applied(new CommandId("c1"), List.of(e1, e2), OptionalLong.of(8));
            s.transferStarted(accept);
        }
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.runs()).isEqualTo(1);
            assertThat(s.beginRun()).isEqualTo(2);
            assertThat(s.epoch(VM)).isEqualTo(4);
            assertThat(s.epoch(new VmId("vm-other"))).isZero();
            assertThat(s.mark(DEV)).contains(new DeviceMark(2, MigrationState.STOP));
            assertThat(s.nextSequence(DEV)).isEqualTo(3);
            assertThat(s.applied(new CommandId("c1"))).contains(List.of(e1, e2));
            assertThat(s.applied(new CommandId("c9"))).isEmpty();
            assertThat(s.offset()).hasValue(8);
            assertThat(s.unacknowledged()).isEmpty();
            assertThat(s.openTransfers()).containsExactly(accept);
            s.transferEnded(accept.id());
        }
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.runs()).isEqualTo(2);
            assertThat(s.openTransfers()).isEmpty();
        }
    }

    @Test
    void an_event_recorded_but_not_acknowledged_is_kept_for_resending_with_its_sequence() {
        AgentEvent.DeviceStateChanged e1 = changed(1, MigrationState.RUNNING, MigrationState.STOP, "c1");
        AgentEvent.DeviceStateChanged e2 = changed(2, MigrationState.STOP, MigrationState.STOP_COPY, "c1");
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.reserve(e1);
            s.acknowledged();
            s.reserve(e2);
        }
        for (int reopen = 0; reopen < 2; reopen++) {
            // Twice: the compacted journal must keep both the resend list and the newest mark.
            try (StateDirectory s = StateDirectory.open(dir)) {
                assertThat(s.unacknowledged()).containsExactly(e2);
                assertThat(s.mark(DEV)).contains(new DeviceMark(2, MigrationState.STOP_COPY));
                assertThat(s.nextSequence(DEV)).isEqualTo(3);
            }
        }
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.acknowledged();
        }
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.unacknowledged()).isEmpty();
            assertThat(s.nextSequence(DEV)).isEqualTo(3);
        }
    }

    @Test
    void a_sequence_that_is_not_the_next_is_refused() {
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.reserve(changed(1, MigrationState.RUNNING, MigrationState.STOP, "c1"));
            assertThatThrownBy(() -> s.reserve(changed(3, MigrationState.STOP, MigrationState.RUNNING, "c2")))
                    .hasMessageContaining("not the next (2)");
            assertThatThrownBy(() -> s.reserve(changed(1, MigrationState.STOP, MigrationState.RUNNING, "c2")))
                    .hasMessageContaining("not the next (2)");
        }
    }

    @Test
    void a_line_torn_by_a_crash_is_ignored() throws Exception {
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.offset(5);
        }
        Files.writeString(dir.resolve("journal"), "O 9", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.offset()).hasValue(5);
            s.offset(6);
        }
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.offset()).hasValue(6);
        }
    }

    @Test
    void a_corrupt_line_stops_the_start_with_its_place() throws Exception {
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.offset(5);
        }
        Files.writeString(dir.resolve("journal"), "Q what\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> StateDirectory.open(dir)).hasMessageContaining("line 3 is corrupt")
                .hasMessageContaining("unknown record type 'Q'");
    }

    @Test
    void two_processes_cannot_share_a_state_directory() {
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThatThrownBy(() -> StateDirectory.open(dir)).hasMessageContaining("in use");
        }
    }

    @Test
    void compaction_leaves_no_temporary_file_and_a_journal_that_replays_the_same() throws Exception {
        try (StateDirectory s = StateDirectory.open(dir)) {
            s.beginRun();
            for (int i = 1; i <= 50; i++) {
                s.offset(i);
            }
        }
        long before = Files.size(dir.resolve("journal"));
        try (StateDirectory s = StateDirectory.open(dir)) {
            assertThat(s.offset()).hasValue(50);
        }
        assertThat(Files.size(dir.resolve("journal"))).isLessThan(before);
        assertThat(dir.resolve("journal.tmp")).doesNotExist();
    }

    @Test
    void applied_commands_are_remembered_up_to_the_bound() {
        try (StateDirectory s = StateDirectory.open(dir, 3)) {
            for (int i = 0; i <= 3; i++) {
                s.applied(new CommandId("c" + i), List.of(), OptionalLong.empty());
            }
            assertThat(s.applied(new CommandId("c0"))).isEmpty();
            assertThat(s.applied(new CommandId("c1"))).contains(List.of());
        }
        try (StateDirectory s = StateDirectory.open(dir, 3)) {
            assertThat(s.applied(new CommandId("c0"))).isEmpty();
            assertThat(s.applied(new CommandId("c3"))).contains(List.of());
        }
    }
}
