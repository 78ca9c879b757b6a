package dev.vfo.core.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.vfio.MigrationState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which commands to a device stay in doubt: every one since its last answer, whatever its target. */
class StepTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aCommandReplacedUnansweredStaysInDoubtEvenWhenTheNextAsksForAnotherState() {
        // Given STOP>RUNNING_P2P left unanswered past its deadline
        Step quiesce = Step.issued(null, MigrationState.RUNNING_P2P, false, 1, new CommandId("c1"), T);
        // When a rollback asks the same device for RUNNING, and a takeover re-issues that
        Step back = Step.issued(quiesce, MigrationState.RUNNING, false, 1, new CommandId("c2"), T).forReissue();
        Step again = Step.issued(back, MigrationState.RUNNING, false, 1, new CommandId("c3"), T);
        // Then the device may be at either target
        assertThat(again.unanswered()).containsExactly(
                new DeviceSnapshot.Unanswered(new CommandId("c1"), MigrationState.RUNNING_P2P),
                new DeviceSnapshot.Unanswered(new CommandId("c2"), MigrationState.RUNNING),
                new DeviceSnapshot.Unanswered(new CommandId("c3"), MigrationState.RUNNING));
        assertThat(again.forNewPhase().unanswered()).isEqualTo(again.unanswered());
    }

    @Test
    void anAnswerSettlesEveryEarlierCommand() {
        Step first = Step.issued(null, MigrationState.RUNNING_P2P, false, 1, new CommandId("c1"), T);
        Step answered = Step.issued(first, MigrationState.RUNNING_P2P, false, 2, new CommandId("c2"), T).answered(false);
        assertThat(answered.unanswered()).isEmpty();
        Step next = Step.issued(answered, MigrationState.STOP, false, 1, new CommandId("c4"), T);
        assertThat(next.unanswered()).containsExactly(new DeviceSnapshot.Unanswered(new CommandId("c4"), MigrationState.STOP));
    }
}
