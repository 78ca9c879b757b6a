package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.core.protocol.VmId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The contract agrees with core's id rule, and the validator's copy differs only in response media types. */
class ContractTest {
    private static JsonObject contract() {
        try (InputStream in = ContractTest.class.getClassLoader().getResourceAsStream(ControlPlaneServer.CONTRACT)) {
            java.util.Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new JsonObject(map);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern ID = Pattern.compile(
            contract().getJsonObject("components").getJsonObject("schemas").getJsonObject("Id").getString("pattern"));

    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.strings().withChars("aZ09._:/- \"%\n\u00e9;").ofMinLength(0).ofMaxLength(140)
                .edgeCases(c -> c.add("x".repeat(128)).add("x".repeat(129)));
    }

    /** A value the contract lets through must make a valid id in core, and the reverse: no 500s, no over-strict 400s. */
    @Property
    void the_id_pattern_is_cores_id_rule(@ForAll("candidates") String s) {
        boolean core;
        try {
            new VmId(s);
            core = true;
        } catch (IllegalArgumentException e) {
            core = false;
        }
        assertThat(ID.matcher(s).matches()).isEqualTo(core);
    }

    /** A comma inside a YAML flow mapping silently makes a key with a null value; none may exist. */
    @Example
    void the_yaml_has_no_accidental_null_values() {
        assertThat(nullKeys(contract(), "")).isEmpty();
    }

    private static java.util.List<String> nullKeys(Object node, String at) {
        java.util.List<String> found = new java.util.ArrayList<>();
        if (node instanceof JsonObject) {
            ((JsonObject) node).forEach(e -> {
                if (e.getValue() == null) {
                    found.add(at + "/" + e.getKey());
                } else {
                    found.addAll(nullKeys(e.getValue(), at + "/" + e.getKey()));
                }
            });
        } else if (node instanceof io.vertx.core.json.JsonArray) {
            io.vertx.core.json.JsonArray a = (io.vertx.core.json.JsonArray) node;
            for (int i = 0; i < a.size(); i++) {
                found.addAll(nullKeys(a.getValue(i), at + "/" + i));
            }
        }
        return found;
    }

    @Example
    void only_response_media_types_are_renamed_for_the_validator() {
        JsonObject original = contract();
        JsonObject forValidator = Contract.withAnalysableResponses(contract());

        assertThat(original.encode()).contains("\"application/problem+json\":", "\"text/event-stream\":");
        assertThat(forValidator.encode()).doesNotContain("\"application/problem+json\":", "\"text/event-stream\":");
        assertThat(forValidator.getJsonObject("paths").getJsonObject("/v1/migrations").getJsonObject("post")
                .getJsonObject("requestBody"))
                .isEqualTo(original.getJsonObject("paths").getJsonObject("/v1/migrations").getJsonObject("post")
                        .getJsonObject("requestBody"));
        assertThat(forValidator.getJsonObject("components").getJsonObject("schemas"))
                .isEqualTo(original.getJsonObject("components").getJsonObject("schemas"));
    }
}
