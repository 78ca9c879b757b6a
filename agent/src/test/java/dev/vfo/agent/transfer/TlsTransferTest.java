package dev.vfo.agent.transfer;

import static dev.vfo.agent.transfer.TransferFixture.accept;
import static dev.vfo.agent.transfer.TransferFixture.awaitEnd;
import static dev.vfo.agent.transfer.TransferFixture.completed;
import static dev.vfo.agent.transfer.TransferFixture.device;
import static dev.vfo.agent.transfer.TransferFixture.failed;
import static dev.vfo.agent.transfer.TransferFixture.simulated;
import static dev.vfo.agent.transfer.TransferFixture.start;
import static dev.vfo.agent.transfer.TransferFixture.walk;
import static dev.vfo.core.vfio.MigrationState.RESUMING;
import static dev.vfo.core.vfio.MigrationState.RUNNING;
import static dev.vfo.core.vfio.MigrationState.STOP_COPY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.agent.device.DeviceStepper;
import dev.vfo.agent.device.sim.ContentIdentity;
import dev.vfo.agent.device.sim.SimulatedDeviceSpec;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between two agents with self-signed certificates made for the test (by the JDK's
 * keytool, converted to PEM): a trusted pair moves a stream; a sender whose certificate the
 * receiver does not trust never reaches the expectation.
 */
class TlsTransferTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final char[] PASSWORD = "transfer-test".toCharArray();

    @TempDir
    static Path dir;

    private static TransferTls source;
    private static TransferTls destination;
    private static TransferTls stranger;

    @BeforeAll
    static void certificates() throws Exception {
        Path a = pem("agent-a");
        Path b = pem("agent-b");
        Path c = pem("stranger");
        Path trust = dir.resolve("agents-trust.pem");
        Files.writeString(trust, Files.readString(a.resolveSibling("agent-a.crt"))
                + Files.readString(b.resolveSibling("agent-b.crt")));
        source = new TransferTls(a, a.resolveSibling("agent-a.crt"), trust, true);
        destination = new TransferTls(b, b.resolveSibling("agent-b.crt"), trust, true);
        stranger = new TransferTls(c, c.resolveSibling("stranger.crt"), trust, true);
    }

    /** Makes a self-signed EC P-256 key and certificate for 127.0.0.1; returns the key's PEM path. */
    private static Path pem(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "2", "-dname", "CN=" + name, "-ext", "SAN=IP:127.0.0.1", "-storetype",
                "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool: %s", output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        Key key = ks.getKey(name, PASSWORD);
        Path keyPem = dir.resolve(name + ".key");
        write(keyPem, "PRIVATE KEY", key.getEncoded());
        write(dir.resolve(name + ".crt"), "CERTIFICATE", ks.getCertificate(name).getEncoded());
        return keyPem;
    }

    private static void write(Path path, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(path, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    @Test
    void agents_with_trusted_certificates_move_a_stream_over_mutual_TLS_and_a_stranger_is_kept_out() {
        ContentIdentity content = new ContentIdentity("host-a/0000:17:00.0", 5, 5);
        DeviceStepper src = device(SimulatedDeviceSpec.of("src").withContent(content).withSizes(4 << 20, 10_000));
        DeviceStepper dst = device(SimulatedDeviceSpec.of("dst"));
        walk(src, STOP_COPY);
        walk(dst, RESUMING);
        try (TransferFixture agents = new TransferFixture(TransferFixture.config().withTls(destination),
                TransferFixture.config().withTls(source));
                TransferFixture strangers = new TransferFixture(TransferFixture.config(),
                        TransferFixture.config().withTls(stranger))) {
            Transfer in = agents.expect(accept("m-tls", 1, MINUTE), dst);

            Transfer intruder = strangers.send(start("m-tls", 1, agents.endpoint(), MINUTE), src);
            TransferOutcome.Failed keptOut = failed(awaitEnd(intruder));
            assertThat(keptOut.bytes()).isZero();
            assertThat(keptOut.reason()).contains("closed");
            assertThat(in.ended()).as("the expectation still waits for its source").isEmpty();
            assertThat(src.savingSession().orElseThrow().bytesMoved()).isZero();

            Transfer out = agents.send(start("m-tls", 1, agents.endpoint(), MINUTE), src);
            TransferOutcome.Completed received = completed(awaitEnd(in));
            assertThat(completed(awaitEnd(out)).sha256()).isEqualTo(received.sha256());
            assertThat(received.bytes()).isGreaterThan(4 << 20);
        }
        walk(dst, RUNNING);
        assertThat(simulated(dst).content()).isEqualTo(content);
    }
}
