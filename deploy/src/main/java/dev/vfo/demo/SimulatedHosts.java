package dev.vfo.demo;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.config.AgentSetting;
import dev.vfo.agent.device.sim.SimulatedDevice;
import dev.vfo.agent.device.sim.Sleeper;
import dev.vfo.agent.loop.HostAgent;
import dev.vfo.agent.loop.ServedDevice;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link HostAgents} with the production agent: configured as {@code vfo agent run} would be (the
 * same {@link AgentConfig}), except that the devices are the demo's simulated specs, which carry
 * flags and injected faults a device list in a configuration cannot express.
 */
final class SimulatedHosts implements HostAgents {

    @Override
    public Running start(String bootstrapServers, String namespace, int partitions, HostId host,
            List<DemoFleet.Hosted> devices) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("vfo-agent-" + host.value() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's state directory", e);
        }
        // The agents find each other through the endpoint DeviceRegistered reports: on one machine
        // loopback, on a port the receiver picks (the endpoint is then derived from the bound port).
        Map<String, String> env = new HashMap<>();
        env.put("VFO_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put(AgentSetting.TOPIC_NAMESPACE.variable(), namespace);
        env.put(AgentSetting.TOPIC_PARTITIONS.variable(), Integer.toString(partitions));
        env.put(AgentSetting.HOST_ID.variable(), host.value());
        env.put(AgentSetting.STATE_DIR.variable(), stateDir.toString());
        env.put(AgentSetting.BACKEND.variable(), "simulated");
        env.put(AgentSetting.TRANSFER_HOST.variable(), "127.0.0.1");
        env.put(AgentSetting.TRANSFER_PORT.variable(), "0");
        env.put(AgentSetting.HEARTBEAT_INTERVAL.variable(), "2s");
        AgentConfig config = AgentConfig.from(env);
        Clock clock = Clock.systemUTC();
        List<ServedDevice> served = devices.stream().map(d -> new ServedDevice(
                new DeviceId(host.value() + "/" + d.spec().name()), d.vm(),
                new SimulatedDevice(d.spec(), clock, Sleeper.REAL), "simulated:" + d.spec().name(), "vfo-sim",
                d.spec().model())).toList();
        HostAgent agent;
        try {
            agent = HostAgent.start(config, served, clock);
        } catch (RuntimeException e) {
            served.forEach(s -> s.device().close());
            deleteQuietly(stateDir);
            throw e;
        }
        return () -> {
            agent.close();
            served.forEach(s -> s.device().close());
            deleteQuietly(stateDir);
        };
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless; failing the stop over it is not.
        }
    }
}
