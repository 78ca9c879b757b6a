package dev.vfo.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local stack in this JVM: the embedded broker, the catalog's topics and a coordinator, reached
 * over real HTTP with the tokens the stack generated. (Without agents: they belong to the agent
 * loop; see {@link HostAgents#ofThisBuild}.)
 */
class LocalStackIT {
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(Optional.empty(), 0, DemoFleet.of(1, 2), Optional.empty());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theApiAnswersBothGeneratedTokensOnLoopback() {
        assertThat(stack.api().getHost()).isEqualTo("127.0.0.1");
        JsonArray asOperator = new ControlPlaneClient(stack.api(), stack.tokens().operator()).devices();
        JsonArray asViewer = new ControlPlaneClient(stack.api(), stack.tokens().viewer()).devices();
        assertThat(asOperator).isNotNull();
        assertThat(asViewer).isEqualTo(asOperator);
        assertThat(stack.fatal()).isEmpty();
    }

    @Test
    void anyOtherTokenIsRefusedAndTheViewerCannotStartAMigration() throws Exception {
        assertThatThrownBy(() -> new ControlPlaneClient(stack.api(), "x".repeat(32)).devices())
                .isInstanceOfSatisfying(ControlPlaneClient.ApiProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        ControlPlaneClient viewer = new ControlPlaneClient(stack.api(), stack.tokens().viewer());
        assertThatThrownBy(() -> viewer.startMigration(DemoFleet.request(stack.fleet().healthy().get(0))))
                .isInstanceOfSatisfying(ControlPlaneClient.ApiProblem.class, p -> assertThat(p.status()).isEqualTo(403));
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.api() + "/v1/devices")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void theCatalogsTopicsExistOnTheBroker() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).containsAll(
                    stack.topics().clusterTopics().stream().map(dev.vfo.schemas.topic.TopicSpec::name).toList());
        }
    }

    @Test
    void twoStacksNeverShareATokenPair() {
        assertThat(LocalStack.Tokens.generate()).isNotEqualTo(LocalStack.Tokens.generate());
        assertThat(stack.tokens().operator()).hasSizeGreaterThanOrEqualTo(24).doesNotContain(":", ",");
    }

    @Test
    void aStackWithoutAgentsFailsTheDemoWithTheReasonInsteadOfWaiting() throws Exception {
        StringWriter text = new StringWriter();
        DemoRun.Verdict verdict = new DemoRun(stack, new PrintWriter(text), false, java.time.Duration.ofMinutes(5),
                Path.of("unused.html"), Optional.empty()).run();
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures()).singleElement().asString().contains("no agents");
    }
}
