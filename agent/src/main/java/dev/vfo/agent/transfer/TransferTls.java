package dev.vfo.agent.transfer;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS between agents: this agent's PEM private key and certificate (presented as server and
 * as client), and the PEM certificates it trusts for its peers. With {@code verifyHostname} a
 * sender also checks that the receiver's certificate names the endpoint's host (SAN).
 */
public record TransferTls(Path keyPem, Path certificatePem, Path trustPem, boolean verifyHostname) {
    public TransferTls {
        Objects.requireNonNull(keyPem, "keyPem");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(trustPem, "trustPem");
    }

    /** A receiver serves TLS and admits only clients whose certificate the trust PEM vouches for. */
    void applyTo(NetServerOptions o) {
        o.setSsl(true);
        o.setKeyCertOptions(keyCert());
        o.setTrustOptions(trust());
        o.setClientAuth(ClientAuth.REQUIRED);
    }

    /** A sender presents its certificate and verifies the receiver's against the trust PEM. */
    void applyTo(NetClientOptions o) {
        o.setSsl(true);
        o.setKeyCertOptions(keyCert());
        o.setTrustOptions(trust());
        o.setHostnameVerificationAlgorithm(verifyHostname ? "HTTPS" : "");
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setKeyPath(keyPem.toString()).setCertPath(certificatePem.toString());
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertPath(trustPem.toString());
    }
}
