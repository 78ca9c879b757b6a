package dev.vfo.demo;

import dev.vfo.core.protocol.HostId;
import java.util.List;

/**
 * Starts the host agent of one simulated host inside this process: the production agent loop
 * (commands topic in, device events out, device-state transfer between agents) serving the given
 * simulated devices through the given broker. The demo needs the devices' flags and injected
 * faults, which a configured agent's device list cannot express, hence simulated specs.
 */
@FunctionalInterface
public interface HostAgents {

    /** A running agent; closing it stops the agent. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }

    Running start(String bootstrapServers, String namespace, int partitions, HostId host,
            List<DemoFleet.Hosted> devices);

    /**
     * The production agent ({@link dev.vfo.agent.loop.HostAgent}) over simulated devices, each
     * agent with its own temporary state directory and a transfer receiver on a free loopback
     * port.
     */
    static HostAgents simulated() {
        return new SimulatedHosts();
    }
}
