package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.TestCertificates;
import io.github.kafkaconnectastro.emulator.TunnelProxy;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and proxies on the way to the gateway, checked with the validation probe (which makes its connection as a
 * task does) against {@code wss://} emulators with certificates made for the test and a CONNECT proxy: what is
 * refused, with which reason, and what gets through.
 */
class GatewayTransportTest {

    private static final String TOKEN = "transport-token-5d6e7f";
    private static final Subscription PAIR = new Subscription("channel.activities", "room1");

    @TempDir
    static Path certificatesDir;
    private static TestCertificates certificates;

    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(certificatesDir);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }

    @Test
    void refusesASelfSignedGatewayNamingTheTrustStoreKey() {
        AstroEmulator gateway = gateway(certificates.selfSignedServer());

        ProbeReport report = probe(gateway.uri(), Map.of());

        assertNotNull(report.connectFailure(), "refused");
        assertTrue(report.connectFailure().contains("certificate is not trusted"), report.connectFailure());
        assertTrue(report.connectFailure().contains("astro.ssl.truststore.location"), report.connectFailure());
        assertEquals(0, gateway.handshakeCount(), "no websocket handshake, so no token sent");
    }

    @Test
    void acceptsASelfSignedGatewayWhoseCertificateIsInTheTrustStore() {
        AstroEmulator gateway = gateway(certificates.selfSignedServer());

        ProbeReport report = probe(gateway.uri(), trustStore(certificates.selfSignedTrustStore()));

        assertNull(report.connectFailure());
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(PAIR).verdict());
    }

    @Test
    void refusesACertificateForAnotherHost() {
        AstroEmulator gateway = gateway(certificates.wrongHostServer());

        ProbeReport report = probe(gateway.uri(), trustStore(certificates.caTrustStore()));

        assertNotNull(report.connectFailure(), "refused");
        assertTrue(report.connectFailure().contains("does not name the host"), report.connectFailure());
        assertTrue(report.connectFailure().contains("astro.ssl.endpoint.identification.algorithm"),
                report.connectFailure());
        assertEquals(0, gateway.handshakeCount());
    }

    @Test
    void acceptsACertificateForAnotherHostWhenTheHostNameCheckIsOff() {
        AstroEmulator gateway = gateway(certificates.wrongHostServer());
        Map<String, String> props = new HashMap<>(trustStore(certificates.caTrustStore()));
        props.put("astro.ssl.endpoint.identification.algorithm", "");

        ProbeReport report = probe(gateway.uri(), props);

        assertNull(report.connectFailure());
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(PAIR).verdict());
    }

    @Test
    void refusesAnExpiredCertificate() {
        AstroEmulator gateway = gateway(certificates.expiredServer());

        ProbeReport report = probe(gateway.uri(), trustStore(certificates.caTrustStore()));

        assertNotNull(report.connectFailure(), "refused");
        assertTrue(report.connectFailure().contains("has expired"), report.connectFailure());
        assertEquals(0, gateway.handshakeCount());
    }

    @Test
    void connectsThroughAProxyWithPlainWebsockets() throws Exception {
        AstroEmulator gateway = gateway(null);
        TunnelProxy proxy = proxy(TunnelProxy.withCredentials("astro", "proxy-secret-9"));
        Map<String, String> props = Map.of("astro.proxy.url", proxy.uri().toString(), "astro.proxy.user", "astro",
                "astro.proxy.password", "proxy-secret-9");

        ProbeReport report = probe(gateway.uri(), props);

        assertNull(report.connectFailure());
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(PAIR).verdict());
        assertEquals(1, proxy.tunnels(), "the connection went through the proxy");
        assertEquals(List.of("127.0.0.1:" + gateway.port()), proxy.targets());
    }

    @Test
    void connectsThroughAProxyWithTls() throws Exception {
        AstroEmulator gateway = gateway(certificates.selfSignedServer());
        TunnelProxy proxy = proxy(TunnelProxy.open());
        Map<String, String> props = new HashMap<>(trustStore(certificates.selfSignedTrustStore()));
        props.put("astro.proxy.url", proxy.uri().toString());

        ProbeReport report = probe(gateway.uri(), props);

        assertNull(report.connectFailure());
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(PAIR).verdict());
        assertEquals(1, proxy.tunnels(), "the connection went through the proxy");
    }

    @Test
    void wrongProxyPasswordIsRefusedNamingTheKeysWithoutThePassword() throws Exception {
        AstroEmulator gateway = gateway(null);
        TunnelProxy proxy = proxy(TunnelProxy.withCredentials("astro", "proxy-secret-9"));
        Map<String, String> props = Map.of("astro.proxy.url", proxy.uri().toString(), "astro.proxy.user", "astro",
                "astro.proxy.password", "not-the-secret-1");

        ProbeReport report = probe(gateway.uri(), props);

        assertNotNull(report.connectFailure(), "refused");
        assertTrue(report.connectFailure().contains("407"), report.connectFailure());
        assertTrue(report.connectFailure().contains("astro.proxy.password"), report.connectFailure());
        assertFalse(report.connectFailure().contains("not-the-secret-1"), report.connectFailure());
        assertEquals(1, proxy.refused());
        assertEquals(0, proxy.tunnels());
        assertEquals(0, gateway.handshakeCount());
    }

    private AstroEmulator gateway(SSLContext tls) {
        AstroEmulator gateway = tls == null ? AstroEmulator.start() : AstroEmulator.startTls(tls);
        gateway.acceptToken(TOKEN, "own0001");
        started.add(gateway);
        return gateway;
    }

    private TunnelProxy proxy(TunnelProxy proxy) {
        started.add(proxy);
        return proxy;
    }

    private static Map<String, String> trustStore(Path path) {
        return Map.of("astro.ssl.truststore.location", path.toString(),
                "astro.ssl.truststore.password", TestCertificates.PASSWORD);
    }

    private static ProbeReport probe(URI uri, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(overrides);
        props.put("astro.url", uri.toString());
        props.put("astro.token", TOKEN);
        props.put("astro.subscriptions", PAIR.toString());
        props.put("astro.connect.timeout.ms", "3000");
        props.put("astro.welcome.timeout.ms", "1000");
        props.put("astro.subscribe.timeout.ms", "2000");
        return SubscriptionProbe.run(new AstroSourceConnectorConfig(props).sessionSettings(), List.of(PAIR));
    }
}
