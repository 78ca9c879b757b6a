package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.coordinator.api.DeviceView;
import dev.vfo.coordinator.api.MigrationStatus;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.protocol.VmId;
import dev.vfo.core.vfio.MigrationState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operation's happy path and the desk's refusals (404, 409, 422), over real HTTP. */
class MigrationApiTest {
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static MultiMap key(String k) {
        return MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", k);
    }

    @Test
    void a_started_migration_is_created_and_can_be_read_back() {
        HttpResponse<Buffer> created = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonObject body = created.bodyAsJsonObject();
        String id = body.getString("id");
        assertThat(created.getHeader("Location")).isEqualTo("/v1/migrations/" + id);
        assertThat(body.getString("vm")).isEqualTo("vm-1");
        assertThat(body.getString("status")).isEqualTo("ACTIVE");
        assertThat(body.getJsonObject("policy")).isEqualTo(ApiFixture.startRequest("vm-1").getJsonObject("policy"));
        assertThat(body.getJsonArray("devices").getJsonObject(0).getString("sourceState")).isEqualTo("PRE_COPY_P2P");

        HttpResponse<Buffer> read = api.get("/v1/migrations/" + id, ApiFixture.VIEWER);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.getHeader("content-type")).isEqualTo("application/json");
        assertThat(read.bodyAsJsonObject()).isEqualTo(body);
    }

    @Test
    void listing_filters_by_vm_and_state() {
        String m1 = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).bodyAsJsonObject().getString("id");
        String m2 = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-2")).bodyAsJsonObject().getString("id");
        api.desk.end(new MigrationId(m2), MigrationStatus.SUCCEEDED);

        assertThat(ids(api.get("/v1/migrations", ApiFixture.VIEWER))).containsExactly(m2, m1);
        assertThat(ids(api.get("/v1/migrations?vm=vm-1", ApiFixture.VIEWER))).containsExactly(m1);
        assertThat(ids(api.get("/v1/migrations?state=SUCCEEDED", ApiFixture.VIEWER))).containsExactly(m2);
        assertThat(ids(api.get("/v1/migrations?state=ACTIVE&vm=vm-2", ApiFixture.VIEWER))).isEmpty();
        assertThat(ids(api.get("/v1/migrations?limit=1", ApiFixture.VIEWER))).containsExactly(m2);
        JsonObject ended = api.get("/v1/migrations/" + m2, ApiFixture.VIEWER).bodyAsJsonObject();
        assertThat(ended.getString("endedAt")).isNotNull();
        assertThat(ended.getJsonObject("phaseDurationsMs").getLong("STOP_COPY")).isEqualTo(120L);
        assertThat(ended.getLong("bytes")).isEqualTo(4096L);
        assertThat(ended.getLong("downtimeMs")).isEqualTo(120L);
    }

    private static List<String> ids(HttpResponse<Buffer> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray a = r.bodyAsJsonObject().getJsonArray("migrations");
        return IntStream.range(0, a.size()).mapToObj(i -> a.getJsonObject(i).getString("id")).toList();
    }

    @Test
    void devices_and_vms_come_from_the_inventory() {
        api.desk.devices.add(new DeviceView(new DeviceId("hostA/0000:3b:00.0"), new HostId("hostA"),
                Optional.of(new VmId("vm-1")), MigrationState.RUNNING, "10de:2331", "0000:3b:00.0", "vfio-pci", 0x7L,
                Instant.parse("2026-11-23T20:00:00Z"), true));
        String m = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).bodyAsJsonObject().getString("id");

        HttpResponse<Buffer> devices = api.get("/v1/devices", ApiFixture.VIEWER);
        assertThat(devices.statusCode()).isEqualTo(200);
        JsonObject d = devices.bodyAsJsonObject().getJsonArray("devices").getJsonObject(0);
        assertThat(d.getString("id")).isEqualTo("hostA/0000:3b:00.0");
        assertThat(d.getString("state")).isEqualTo("RUNNING");
        assertThat(d.getString("vm")).isEqualTo("vm-1");
        assertThat(d.getBoolean("alive")).isTrue();

        HttpResponse<Buffer> vm = api.get("/v1/vms/vm-1", ApiFixture.VIEWER);
        assertThat(vm.statusCode()).isEqualTo(200);
        assertThat(vm.bodyAsJsonObject().getString("activeMigration")).isEqualTo(m);
        assertThat(vm.bodyAsJsonObject().getJsonArray("devices")).hasSize(1);
        assertThat(vm.bodyAsJsonObject().getJsonArray("migrations")).hasSize(1);
    }

    @Test
    void ids_with_slashes_travel_percent_encoded_in_paths() {
        api.desk.devices.add(new DeviceView(new DeviceId("rack1/hostA/0000:3b:00.0"), new HostId("hostA"),
                Optional.of(new VmId("tenant1/vm-9")), MigrationState.RUNNING, "10de:2331", "0000:3b:00.0", "vfio-pci",
                0x7L, Instant.parse("2026-11-23T20:00:00Z"), true));

        HttpResponse<Buffer> vm = api.get("/v1/vms/tenant1%2Fvm-9", ApiFixture.VIEWER);

        assertThat(vm.statusCode()).as(vm.bodyAsString()).isEqualTo(200);
        assertThat(vm.bodyAsJsonObject().getString("id")).isEqualTo("tenant1/vm-9");
    }

    @Test
    void unknown_ids_are_404_problems() {
        for (HttpResponse<Buffer> r : List.of(
                api.get("/v1/migrations/m-nope", ApiFixture.VIEWER),
                api.get("/v1/migrations/m-nope/events", ApiFixture.VIEWER),
                api.post("/v1/migrations/m-nope/cancel", ApiFixture.OPERATOR, null),
                api.get("/v1/vms/vm-nope", ApiFixture.VIEWER),
                api.get("/v1/nothing-here", ApiFixture.VIEWER))) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
            assertThat(r.bodyAsJsonObject().getString("detail")).containsAnyOf("m-nope", "vm-nope", "nothing-here");
        }
    }

    @Test
    void a_second_migration_of_a_migrating_vm_is_409_naming_the_first() {
        String first = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).bodyAsJsonObject().getString("id");

        HttpResponse<Buffer> second = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"));

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.bodyAsJsonObject().getString("migration")).isEqualTo(first);
        assertThat(second.bodyAsJsonObject().getString("detail")).contains("vm-1", first);
    }

    @Test
    void a_plan_the_saga_refuses_is_422_with_its_reason() {
        JsonObject request = ApiFixture.startRequest("vm-1");
        request.getJsonArray("devices").getJsonObject(0).put("destination", "unknown-host/0000:01:00.0");

        HttpResponse<Buffer> r = api.post("/v1/migrations", ApiFixture.OPERATOR, request);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.bodyAsJsonObject().getString("detail"))
                .isEqualTo("device unknown-host/0000:01:00.0 is not registered by any agent");
    }

    @Test
    void cancel_is_accepted_before_the_commit_point_and_409_after() {
        String m = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1")).bodyAsJsonObject().getString("id");

        HttpResponse<Buffer> cancelled = api.post("/v1/migrations/" + m + "/cancel", ApiFixture.OPERATOR, null);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(cancelled.bodyAsJsonObject().getString("id")).isEqualTo(m);

        api.desk.passCommitPoint(new MigrationId(m));
        HttpResponse<Buffer> late = api.post("/v1/migrations/" + m + "/cancel", ApiFixture.OPERATOR, null);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.bodyAsJsonObject().getString("detail")).contains("commit point");
        assertThat(late.bodyAsJsonObject().getString("migration")).isEqualTo(m);
    }

    @Test
    void a_repeated_idempotency_key_returns_the_original_and_starts_nothing() {
        HttpResponse<Buffer> first = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"), key("retry-1"));
        HttpResponse<Buffer> again = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"), key("retry-1"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
        assertThat(ids(api.get("/v1/migrations", ApiFixture.VIEWER))).hasSize(1);
    }

    @Test
    void concurrent_copies_of_one_idempotent_request_reach_the_desk_once() {
        api.desk.answerDelayMs = 300;
        List<Future<HttpResponse<Buffer>>> copies = IntStream.range(0, 8)
                .mapToObj(i -> api.request(io.vertx.core.http.HttpMethod.POST, "/v1/migrations", ApiFixture.OPERATOR)
                        .putHeader("Idempotency-Key", "race-1").sendJsonObject(ApiFixture.startRequest("vm-1")))
                .toList();
        List<HttpResponse<Buffer>> answers = copies.stream().map(ApiFixture::await).toList();

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201, 200)
                .filteredOn(s -> s == 201).hasSize(1);
        assertThat(answers).extracting(r -> r.bodyAsJsonObject().getString("id")).containsOnly(
                answers.get(0).bodyAsJsonObject().getString("id"));
        assertThat(api.desk.submits.get()).isEqualTo(1);
    }

    @Test
    void a_reused_key_with_a_different_request_is_422_and_keys_are_per_caller() {
        String original = api.post("/v1/migrations", ApiFixture.OPERATOR, ApiFixture.startRequest("vm-1"), key("k-1"))
                .bodyAsJsonObject().getString("id");
        JsonObject changed = ApiFixture.startRequest("vm-1");
        changed.getJsonObject("policy").put("downtimeBudgetMs", 999);

        HttpResponse<Buffer> reused = api.post("/v1/migrations", ApiFixture.OPERATOR, changed, key("k-1"));
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key", "k-1");
        assertThat(reused.bodyAsJsonObject().getString("migration")).isEqualTo(original);

        HttpResponse<Buffer> otherCaller = api.post("/v1/migrations", ApiFixture.OTHER_OPERATOR,
                ApiFixture.startRequest("vm-2"), key("k-1"));
        assertThat(otherCaller.statusCode()).isEqualTo(201);
        assertThat(otherCaller.bodyAsJsonObject().getString("id")).isNotEqualTo(original);
    }

    @Test
    void the_desk_failing_is_503_not_a_crash() {
        api.desk.broken = true;
        HttpResponse<Buffer> r = api.get("/v1/devices", ApiFixture.VIEWER);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
    }
}
