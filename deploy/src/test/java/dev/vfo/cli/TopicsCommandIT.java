package dev.vfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.schemas.broker.EmbeddedKafka;
import dev.vfo.schemas.topic.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandIT {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.launch();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run vfo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Vfo.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listShowsMissingTopicsThenCreateMakesThemAndIsIdempotent() {
        String servers = kafka.bootstrapServers();
        TopicCatalog catalog = new TopicCatalog("topicsit", 2, java.util.Optional.of((short) 1));
        Run before = vfo("topics", "list", "--bootstrap-servers", servers, "--namespace", "topicsit");
        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.out()).contains(catalog.deviceEvents().name() + "\tMISSING");

        String[] create = {"topics", "create", "--bootstrap-servers", servers, "--namespace", "topicsit",
            "--partitions", "2", "--replication-factor", "1", "--host", "host-a"};
        Run first = vfo(create);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("created\t" + catalog.coordinatorLog().name())
                .contains("created\ttopicsit.commands.host-a");
        Run again = vfo(create);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).doesNotContain("created").contains("exists\t" + catalog.requests().name());

        Run after = vfo("topics", "list", "--bootstrap-servers", servers, "--namespace", "topicsit");
        assertThat(after.exit()).isZero();
        assertThat(after.out()).contains(catalog.deviceEvents().name() + "\t2 partitions")
                .contains("topicsit.commands.host-a\t1 partitions").doesNotContain("MISSING");
    }

    @Test
    void aHostIdThatCannotNameATopicIsAnInvalidRequest() {
        Run r = vfo("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--host", "a:b");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--host a:b");
    }
}
