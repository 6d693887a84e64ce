package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.connector.ProbeReport;
import io.github.kafkaconnectastro.connector.SubscriptionProbe;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.TestCertificates;
import io.github.kafkaconnectastro.emulator.TunnelProxy;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    private static final String PROXY_USER = "astro";
    private static final String PROXY_PASSWORD = "proxy-secret-9";

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

        assertRefused(probe(gateway.uri(), Map.of()), "certificate is not trusted", "astro.ssl.truststore.location");
        assertEquals(0, gateway.handshakeCount(), "no websocket handshake, so no token sent");
    }

    @Test
    void acceptsASelfSignedGatewayWhoseCertificateIsInTheTrustStore() {
        AstroEmulator gateway = gateway(certificates.selfSignedServer());

        assertAccepted(probe(gateway.uri(), trustStore(certificates.selfSignedTrustStore())));
    }

    @Test
    void refusesACertificateForAnotherHost() {
        AstroEmulator gateway = gateway(certificates.wrongHostServer());

        assertRefused(probe(gateway.uri(), trustStore(certificates.caTrustStore())), "does not name the host",
                "astro.ssl.endpoint.identification.algorithm");
        assertEquals(0, gateway.handshakeCount());
    }

    @Test
    void acceptsACertificateForAnotherHostWhenTheHostNameCheckIsOff() {
        AstroEmulator gateway = gateway(certificates.wrongHostServer());
        Map<String, String> props = new HashMap<>(trustStore(certificates.caTrustStore()));
        props.put("astro.ssl.endpoint.identification.algorithm", "");

        assertAccepted(probe(gateway.uri(), props));
    }

    @Test
    void refusesAnExpiredCertificate() {
        AstroEmulator gateway = gateway(certificates.expiredServer());

        assertRefused(probe(gateway.uri(), trustStore(certificates.caTrustStore())), "has expired");
        assertEquals(0, gateway.handshakeCount());
    }

    @Test
    void givesUpOnAGatewayThatNeverAnswersTheTlsHandshakeWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            ProbeReport report = probe(URI.create("wss://127.0.0.1:" + silent.getLocalPort()), Map.of());

            assertNotNull(report.connectFailure(), "refused");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 3_000 + 2_000, "took " + tookMs + " ms with astro.connect.timeout.ms=3000");
        }
    }

    @Test
    void connectsThroughAProxyWithPlainWebsockets() throws Exception {
        AstroEmulator gateway = gateway(null);
        TunnelProxy proxy = proxy(TunnelProxy.withCredentials(PROXY_USER, PROXY_PASSWORD));

        assertAccepted(probe(gateway.uri(), proxySettings(proxy, PROXY_PASSWORD)));
        assertEquals(1, proxy.tunnels(), "the connection went through the proxy");
        assertEquals(List.of("127.0.0.1:" + gateway.port()), proxy.targets());
    }

    @Test
    void connectsThroughAProxyWithTls() throws Exception {
        AstroEmulator gateway = gateway(certificates.selfSignedServer());
        TunnelProxy proxy = proxy(TunnelProxy.open());
        Map<String, String> props = new HashMap<>(trustStore(certificates.selfSignedTrustStore()));
        props.put("astro.proxy.url", proxy.uri().toString());

        assertAccepted(probe(gateway.uri(), props));
        assertEquals(1, proxy.tunnels(), "the connection went through the proxy");
    }

    @Test
    void wrongProxyPasswordIsRefusedNamingTheKeysWithoutThePassword() throws Exception {
        AstroEmulator gateway = gateway(null);
        TunnelProxy proxy = proxy(TunnelProxy.withCredentials(PROXY_USER, PROXY_PASSWORD));

        String reason = assertRefused(probe(gateway.uri(), proxySettings(proxy, "not-the-secret-1")), "407",
                "astro.proxy.password");
        assertFalse(reason.contains("not-the-secret-1"), reason);
        assertEquals(1, proxy.refused());
        assertEquals(0, proxy.tunnels());
        assertEquals(0, gateway.handshakeCount());
    }

    private static void assertAccepted(ProbeReport report) {
        assertNull(report.connectFailure());
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(PAIR).verdict());
    }

    /** Asserts that the connection was refused for a reason that says each of {@code fragments}; returns it. */
    private static String assertRefused(ProbeReport report, String... fragments) {
        String reason = report.connectFailure();
        assertNotNull(reason, "refused");
        for (String fragment : fragments) {
            assertTrue(reason.contains(fragment), "'" + fragment + "' missing in: " + reason);
        }
        return reason;
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

    private static Map<String, String> proxySettings(TunnelProxy proxy, String password) {
        return Map.of("astro.proxy.url", proxy.uri().toString(), "astro.proxy.user", PROXY_USER,
                "astro.proxy.password", password);
    }

    private static ProbeReport probe(URI uri, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(overrides);
        props.put("astro.url", uri.toString());
        props.put("astro.token", TOKEN);
        props.put("astro.subscriptions", PAIR.toString());
        props.put("astro.connect.timeout.ms", "3000");
        props.put("astro.welcome.timeout.ms", "1000");
        // Room for a TLS handshake through the proxy on a busy machine: a probe that times out says UNCHECKED.
        props.put("astro.subscribe.timeout.ms", "10000");
        return SubscriptionProbe.run(new AstroSourceConnectorConfig(props).sessionSettings(), List.of(PAIR));
    }
}
