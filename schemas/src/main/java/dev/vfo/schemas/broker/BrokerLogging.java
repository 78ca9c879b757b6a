package dev.vfo.schemas.broker;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-JVM broker's logging at WARN unless the application configured it.
 *
 * <p>The broker logs through SLF4J (log4j-core is excluded from the build, so Kafka's
 * {@code LoggingController} catches the missing classes and falls back to its no-op delegate:
 * dynamic log-level changes through the admin API are unavailable, nothing else). At INFO it writes hundreds of
 * lines per start, which would bury a demo's or a test's own output; an explicit level for these
 * loggers in logback.xml wins over this default.
 */
final class BrokerLogging {

    private static final List<String> BROKER_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private static final String LOG4J_CONTEXT_FACTORY = "log4j2.loggerContextFactory";

    private BrokerLogging() {
    }

    private static boolean log4jCorePresent() {
        try {
            Class.forName("org.apache.logging.log4j.core.LoggerContext", false, BrokerLogging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void quietByDefault() {
        // Kafka's LoggingController asks log4j-api for a logger; without log4j-core that API
        // prints an ERROR to stderr on first use. Its no-op simple context keeps stderr clean.
        if (System.getProperty(LOG4J_CONTEXT_FACTORY) == null && !log4jCorePresent()) {
            System.setProperty(LOG4J_CONTEXT_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        // Logback is optional here: only touch its API when it is the bound backend.
        if (factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            LogbackLevels.warnUnlessConfigured(factory);
        }
    }

    /** Separate class so that Logback's types load only when Logback is present. */
    private static final class LogbackLevels {
        static void warnUnlessConfigured(ILoggerFactory factory) {
            LoggerContext context = (LoggerContext) factory;
            for (String name : BROKER_LOGGERS) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
