package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.AgentEvent.Direction;
import dev.vfo.core.protocol.CommandId;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One side of one device-state transfer in flight: what it is, how far it got, how it ended. */
public interface Transfer {

    TransferKey key();

    /** The coordinator command this side answers (StartDataTransfer or AcceptDataTransfer). */
    CommandId command();

    Direction direction();

    /** Bytes moved through the device's data session so far. */
    long bytes();

    /** Completes exactly once, with the outcome; never exceptionally. */
    CompletionStage<TransferOutcome> outcome();

    /** The outcome, if the transfer has ended. */
    Optional<TransferOutcome> ended();

    /**
     * Ends the transfer with a failure outcome on this side and tells the peer (an ABORT frame, then
     * the connection closes), so the peer fails too. No effect once ended.
     */
    void abort(String reason);

    /**
     * Moves the deadline to {@code later} when that is later: a newer command adopted the stream
     * and the coordinator now waits for it until its own deadline. No effect once ended, or on a
     * transfer that never armed one (refused at once).
     */
    void extend(Instant later);
}
