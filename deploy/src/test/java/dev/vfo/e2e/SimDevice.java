package dev.vfo.e2e;

import java.time.Duration;

/**
 * One simulated device as an agent's {@code VFO_DEVICES} entry names it: the device's name on its
 * host, its VM, its model (a destination accepts only a stream of its own model), its flags word
 * and how long each of its arcs takes. Its protocol id is {@code <host>/<name>}.
 */
record SimDevice(String name, String vm, String model, String flags, Duration arcLatency) {

    /** STOP_COPY|P2P|PRE_COPY: iterative pre-copy, quiesced in PRE_COPY_P2P. */
    static final String ALL = "STOP_COPY|P2P|PRE_COPY";
    /** STOP_COPY|P2P: all of its state moves in the downtime, quiesced in RUNNING_P2P. */
    static final String STOP_COPY_P2P = "STOP_COPY|P2P";

    String setting() {
        return "name=" + name + ",vm=" + vm + ",model=" + model + ",flags=" + flags + ",arc.latency="
                + arcLatency.toMillis() + "ms";
    }

    String idOn(String host) {
        return host + "/" + name;
    }
}
