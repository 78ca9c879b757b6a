package dev.vfo.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and client certificates, with self-signed certificates made for the test by openssl. */
class TlsTest {
    @TempDir
    Path dir;

    /** A self-signed certificate for localhost/127.0.0.1: {@code name.crt} and {@code name.key}. */
    private Path[] selfSigned(String name) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("openssl is not installed: " + e.getMessage());
            throw e;
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new Path[] {cert, key};
    }

    private static WebClient client(ApiFixture api, Path trusted, PemKeyCertOptions clientCert) {
        WebClientOptions options = new WebClientOptions().setSsl(true).setDefaultHost("127.0.0.1")
                .setDefaultPort(api.port).setTrustOptions(new PemTrustOptions().addCertPath(trusted.toString()));
        if (clientCert != null) {
            options.setKeyCertOptions(clientCert);
        }
        return WebClient.create(api.vertx, options);
    }

    @Test
    void serves_https_with_the_configured_certificate() throws Exception {
        Path[] server = selfSigned("server");
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_HTTP_TLS_CERT", server[0].toString(),
                "VFO_HTTP_TLS_KEY", server[1].toString()))) {
            HttpResponse<Buffer> r = ApiFixture.await(client(api, server[0], null).get("/v1/devices")
                    .bearerTokenAuthentication(ApiFixture.VIEWER).send());
            assertThat(r.statusCode()).isEqualTo(200);

            // A TLS listener reads plain HTTP as a partial TLS record and never answers it.
            assertThatThrownBy(() -> ApiFixture.await(api.client.get("/health/live").timeout(1_000).send()))
                    .as("plain HTTP is not served").isInstanceOf(Exception.class);
        }
    }

    @Test
    void requires_a_client_certificate_signed_by_the_configured_ca() throws Exception {
        Path[] server = selfSigned("server");
        Path[] operator = selfSigned("operator-host");
        Path[] stranger = selfSigned("stranger");
        try (ApiFixture api = ApiFixture.start(Map.of("VFO_HTTP_TLS_CERT", server[0].toString(),
                "VFO_HTTP_TLS_KEY", server[1].toString(), "VFO_HTTP_TLS_CLIENT_CA", operator[0].toString()))) {
            PemKeyCertOptions good = new PemKeyCertOptions().setCertPath(operator[0].toString()).setKeyPath(operator[1].toString());
            PemKeyCertOptions bad = new PemKeyCertOptions().setCertPath(stranger[0].toString()).setKeyPath(stranger[1].toString());

            assertThat(ApiFixture.await(client(api, server[0], good).get("/health/live").send()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> ApiFixture.await(client(api, server[0], null).get("/health/live").send()))
                    .as("no client certificate").isInstanceOf(Exception.class);
            assertThatThrownBy(() -> ApiFixture.await(client(api, server[0], bad).get("/health/live").send()))
                    .as("a certificate from another CA").isInstanceOf(Exception.class);
        }
    }
}
