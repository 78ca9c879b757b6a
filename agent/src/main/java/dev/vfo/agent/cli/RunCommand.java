package dev.vfo.agent.cli;

import dev.vfo.agent.config.AgentConfig;
import dev.vfo.agent.config.AgentSetting;
import dev.vfo.agent.loop.HostAgent;
import dev.vfo.agent.loop.HostDevices;
import dev.vfo.agent.loop.ServedDevice;
import dev.vfo.schemas.settings.KafkaPassThrough;
import dev.vfo.schemas.topic.TopicCreation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vfo agent run}: runs this host's agent until SIGTERM (or Ctrl-C). Settings come from the
 * environment ({@code VFO_*}) over the optional settings file (the same {@code VFO_KEY=value} lines);
 * the options here override both.
 * On SIGTERM the agent stops taking commands, finishes the arc in hand, reports aborted transfers,
 * flushes its events and exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the host agent: consumes this host's commands, drives its devices, reports to Kafka.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", description = "settings file of VFO_KEY=value lines (systemd EnvironmentFile= syntax;"
            + " the environment overrides it; default: VFO_CONFIG_FILE)")
    Optional<Path> file = Optional.empty();

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (VFO_KAFKA_BOOTSTRAP_SERVERS)")
    Optional<String> bootstrap = Optional.empty();

    @Option(names = "--host-id", description = "this host's id (the agent reads vfo.commands.<host-id> only)")
    Optional<String> hostId = Optional.empty();

    @Option(names = "--backend", description = "kernel | simulated")
    Optional<String> backend = Optional.empty();

    @Option(names = "--state-dir", description = "the agent's state directory")
    Optional<Path> stateDir = Optional.empty();

    @Option(names = "--create-topics", description = "create the cluster topics and this host's command topic if missing")
    boolean createTopics;

    private final Map<String, String> env;

    public RunCommand() {
        this(System.getenv());
    }

    RunCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The configuration: file, then environment, then the command line's options. */
    AgentConfig config() {
        Map<String, String> merged = new HashMap<>(env);
        bootstrap.ifPresent(v -> merged.put("VFO_KAFKA_BOOTSTRAP_SERVERS", v));
        hostId.ifPresent(v -> merged.put(AgentSetting.HOST_ID.variable(), v));
        backend.ifPresent(v -> merged.put(AgentSetting.BACKEND.variable(), v));
        stateDir.ifPresent(v -> merged.put(AgentSetting.STATE_DIR.variable(), v.toString()));
        return AgentConfig.load(merged, file);
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig config = config();
        if (config.devices().isEmpty()) {
            LOG.warn("no devices configured (VFO_DEVICES): the agent serves none");
        }
        if (createTopics) {
            Map<String, Object> admin = new KafkaPassThrough(config.kafka()).clientConfig(Map.of(),
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
            try (Admin a = Admin.create(admin)) {
                var specs = new java.util.ArrayList<>(config.topics().clusterTopics());
                specs.add(config.topics().commands(config.hostId()));
                TopicCreation.ensure(a, specs, Duration.ofSeconds(60));
            }
        }
        Clock clock = Clock.systemUTC();
        List<ServedDevice> devices = HostDevices.open(config, clock);
        CountDownLatch done = new CountDownLatch(1);
        try (HostAgent agent = HostAgent.start(config, devices, clock)) {
            Thread hook = new Thread(() -> {
                LOG.info("signal received: stopping the agent");
                agent.close();
                done.countDown();
            }, "vfo-agent-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (agent.loop().isRunning() && !done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                // Waits for the signal; a loop that stopped on its own (Kafka gone for too long) ends the process.
            }
            if (agent.loop().failure() != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
                LOG.error("the agent loop failed: {}", agent.loop().failure().toString());
                return 1;
            }
            done.await();
            return 0;
        } finally {
            devices.forEach(d -> d.device().close());
        }
    }
}
