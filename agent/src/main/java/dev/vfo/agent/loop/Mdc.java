package dev.vfo.agent.loop;

import dev.vfo.core.protocol.AgentCommand;
import org.slf4j.MDC;

/**
 * The structured-log keys every agent log line about a command or device carries:
 * {@value #VM}, {@value #DEVICE}, {@value #COMMAND}, {@value #MIGRATION}.
 */
final class Mdc implements AutoCloseable {
    static final String VM = "vmId";
    static final String DEVICE = "deviceId";
    static final String COMMAND = "commandId";
    static final String MIGRATION = "migrationId";

    private Mdc() {}

    static Mdc of(AgentCommand c) {
        MDC.put(VM, c.vm().value());
        MDC.put(COMMAND, c.id().value());
        MDC.put(MIGRATION, c.migration().value());
        if (c instanceof AgentCommand.DeviceCommand d) {
            MDC.put(DEVICE, d.device().value());
        }
        return new Mdc();
    }

    @Override
    public void close() {
        MDC.remove(VM);
        MDC.remove(COMMAND);
        MDC.remove(MIGRATION);
        MDC.remove(DEVICE);
    }
}
