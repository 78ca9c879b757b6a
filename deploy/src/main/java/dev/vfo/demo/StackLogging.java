package dev.vfo.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The local stack's logging: the broker and the Kafka clients warn about things that are normal
 * in a stack that is starting up in one process (topics not yet created, an empty metadata log,
 * readers whose assignment changed), and a new user cannot tell those from trouble. Unless the
 * operator chose a level with VFO_LOG_LEVEL, they are limited to errors; vfo's own warnings stay.
 */
final class StackLogging {
    private static final List<String> CHATTY = List.of("org.apache.kafka", "kafka", "io.micrometer");

    private StackLogging() {}

    static void quietUnlessChosen(Map<String, String> environment) {
        Optional<String> chosen = Optional.ofNullable(System.getProperty("VFO_LOG_LEVEL"))
                .or(() -> Optional.ofNullable(environment.get("VFO_LOG_LEVEL")));
        if (chosen.isPresent() || !(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        CHATTY.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR));
    }
}
