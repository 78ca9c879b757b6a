package dev.vfo.agent.transfer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Delivers a socket's frames one at a time, on the socket's context. A frame handler that starts
 * slow work (a device write) calls {@link #hold()}: the socket is paused and no further frame is
 * cut until {@link #release()}, so what is buffered stays bounded by one frame plus what the
 * socket had already read when it was paused.
 */
final class FrameReader {
    private final NetSocket socket;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    private final Consumer<Frame> onFrame;
    private final Consumer<String> onViolation;
    private Buffer current;
    private int at;
    private boolean held;
    private boolean stopped;

    FrameReader(NetSocket socket, Consumer<Frame> onFrame, Consumer<String> onViolation) {
        this.socket = socket;
        this.onFrame = onFrame;
        this.onViolation = onViolation;
    }

    void start() {
        socket.handler(b -> {
            if (!stopped) {
                pending.add(b);
                drive();
            }
        });
    }

    void hold() {
        held = true;
        socket.pause();
    }

    void release() {
        held = false;
        socket.resume();
        drive();
    }

    /** No more frames: whatever arrives from now on is dropped. */
    void stop() {
        stopped = true;
        pending.clear();
        current = null;
    }

    private void drive() {
        while (!held && !stopped) {
            if (current == null) {
                current = pending.poll();
                at = 0;
                if (current == null) {
                    return;
                }
            }
            try {
                at = decoder.feed(current, at);
            } catch (ProtocolViolation e) {
                stop();
                onViolation.accept(e.getMessage());
                return;
            }
            if (at == current.length()) {
                current = null;
            }
            decoder.take().ifPresent(onFrame);
        }
    }
}
