/**
 * Device-state data transfer between agents: the source agent streams a device's saving session
 * straight to the destination agent, which writes it into the resuming session of its device.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link dev.vfo.agent.transfer.TransferReceiver} (destination) takes a stream only if an
 *       AcceptDataTransfer registered it with {@link dev.vfo.agent.transfer.TransferReceiver#expect}
 *       (same migration, source host and device, destination host and device, coordinator epoch);
 *       anything else is turned away with a reason ({@link dev.vfo.agent.transfer.Rejection}) before
 *       a byte reaches a device (a stream that comes before its AcceptDataTransfer
 *       waits for it up to the handshake timeout). {@link dev.vfo.agent.transfer.TransferSender} (source) streams a
 *       saving session there, from PRE_COPY on if asked (it polls a paused pre-copy session and
 *       carries on after the device moved to STOP_COPY) to the session's end of stream.</li>
 *   <li>Both sides report bytes and SHA-256 through {@link dev.vfo.agent.transfer.Transfer}: progress
 *       to a {@link dev.vfo.agent.transfer.TransferListener}, the end as one
 *       {@link dev.vfo.agent.transfer.TransferOutcome}. The destination completes only when every byte
 *       was written and the trailer's length and SHA-256 equal what its session took; the source only
 *       when the destination confirmed exactly what it sent. A cut connection, a mismatch, the
 *       deadline, a protocol violation or {@code abort} fail both sides; nothing is ever committed
 *       here: neither side changes a device's state.</li>
 *   <li>Memory per transfer is one chunk (at most {@value dev.vfo.agent.transfer.Wire#MAX_DATA_PAYLOAD}
 *       bytes, 1 MiB by default) plus the socket's bounded queue, whatever the stream's length:
 *       the sender reads the next chunk only when the socket's write queue has room, the receiver
 *       pauses the socket while a chunk is written to the device. Blocking device calls run on a
 *       shared worker pool, never on an event loop.</li>
 * </ul>
 *
 * <p>Wire protocol, version 1, over TCP (or mutual TLS: {@link dev.vfo.agent.transfer.TransferTls}).
 * Every frame is {@code [u8 type][u32 big-endian payload length][payload]}; strings are
 * {@code [u16 length][UTF-8 bytes]}; integers are big-endian.
 * <pre>
 *  source -> destination
 *    HELLO    (1)  magic "VFOT" u32, version u16 = 1, coordinator epoch i64, then the strings
 *                  migration id, command id (the StartDataTransfer), source host, source device,
 *                  destination host, destination device
 *    DATA     (2)  1..4 MiB of the device's saving stream, in order
 *    TRAILER  (3)  total stream length i64, SHA-256 of the stream (32 raw bytes)
 *    ABORT    (4)  reason (string): the source gave up; the stream is void
 *  destination -> source
 *    ACCEPT   (5)  empty: the HELLO matched an expectation; DATA may flow (none is sent before)
 *    REJECT   (6)  reason (string): nobody expects this stream; the connection closes
 *    RECEIVED (7)  length i64 and SHA-256 (32 bytes) written: equal to the trailer's
 *    ABORT    (4)  reason (string): the destination failed the stream (mismatch, device write
 *                  failure, deadline, abort); the connection closes
 * </pre>
 * A connection carries one stream: HELLO, ACCEPT, DATA*, TRAILER, RECEIVED, then the destination
 * closes. Frame lengths outside a type's bounds, unknown types and frames out of order are protocol
 * violations that fail the transfer.
 */
package dev.vfo.agent.transfer;
