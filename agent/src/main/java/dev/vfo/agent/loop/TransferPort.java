package dev.vfo.agent.loop;

import dev.vfo.agent.transfer.Expectation;
import dev.vfo.agent.transfer.Shipment;
import dev.vfo.agent.transfer.Transfer;
import dev.vfo.core.protocol.MigrationId;
import java.util.List;

/** What the command handling needs of the transfer component (both sides). */
public interface TransferPort {

    /** Source side: streams the shipment's saving session to the destination agent. */
    Transfer send(Shipment shipment);

    /** Destination side: expects a stream into the expectation's resuming session. */
    Transfer expect(Expectation expectation);

    /** Aborts every transfer of {@code migration} on this host (both sides); how many. */
    int abort(MigrationId migration, String reason);

    /** Every transfer not ended yet, both sides. */
    List<Transfer> inFlight();
}
