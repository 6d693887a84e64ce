package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.TestCertificates;
import io.github.kafkaconnectastro.emulator.TunnelProxy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway connection's security end to end, on a real worker: {@code wss://} gateways (emulators with
 * certificates made for the test) whose certificate the task must refuse (self-signed and not trusted, for another
 * host, expired), with the reason and the key to set in the task's status; one it must accept once its certificate
 * is in the trust store, losing nothing; and the same through an authenticating CONNECT proxy.
 */
class SecurityIT {

    private static final String TOPIC = "channel.activities";
    private static final int NOTIFICATIONS = 200;
    private static final String PROXY_USER = "astro";
    private static final String PROXY_PASSWORD = "it-proxy-secret-77";

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1).topicPerConnector();

    @TempDir
    static Path certificatesDir;
    private static TestCertificates certificates;
    private static final List<AstroEmulator> gateways = new ArrayList<>();
    private static AstroEmulator selfSigned;
    private static TunnelProxy proxy;

    @BeforeAll
    static void startGateways() throws IOException {
        certificates = TestCertificates.create(certificatesDir);
        selfSigned = gateway(certificates.selfSignedServer());
        proxy = TunnelProxy.withCredentials(PROXY_USER, PROXY_PASSWORD);
    }

    @AfterAll
    static void stopGateways() throws IOException {
        gateways.forEach(AstroEmulator::close);
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void refusesASelfSignedGatewayNamingTheCertificateProblemAndTheKeyToSet() throws Exception {
        int handshakes = selfSigned.handshakeCount();
        assertTaskFailsWith("it-self-signed", selfSigned, Map.of(),
                "certificate is not trusted", "astro.ssl.truststore.location");
        assertEquals(handshakes, selfSigned.handshakeCount(), "no websocket handshake, so the token was never sent");
    }

    @Test
    void refusesACertificateForAnotherHost() throws Exception {
        AstroEmulator gateway = gateway(certificates.wrongHostServer());
        assertTaskFailsWith("it-wrong-host", gateway, trustStore(certificates.caTrustStore()),
                "does not name the host", "astro.ssl.endpoint.identification.algorithm");
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        AstroEmulator gateway = gateway(certificates.expiredServer());
        assertTaskFailsWith("it-expired", gateway, trustStore(certificates.caTrustStore()), "has expired");
    }

    @Test
    void refusesAWrongProxyPasswordNamingTheKeyAndNotThePassword() throws Exception {
        Map<String, String> overrides = new HashMap<>(trustStore(certificates.selfSignedTrustStore()));
        overrides.putAll(proxySettings("not-" + PROXY_PASSWORD));
        String trace = assertTaskFailsWith("it-proxy-refused", selfSigned, overrides, "407", "astro.proxy.password");
        assertFalse(trace.contains(PROXY_PASSWORD), trace);
    }

    @Test
    void withItsCertificateInTheTrustStoreEveryNotificationArrives() throws Exception {
        assertEveryNotificationArrives("it-trusted", trustStore(certificates.selfSignedTrustStore()));
    }

    @Test
    void throughAnAuthenticatingProxyEveryNotificationArrives() throws Exception {
        int tunnelsBefore = proxy.tunnels();
        Map<String, String> overrides = new HashMap<>(trustStore(certificates.selfSignedTrustStore()));
        overrides.putAll(proxySettings(PROXY_PASSWORD));

        assertEveryNotificationArrives("it-proxied", overrides);

        assertTrue(proxy.tunnels() > tunnelsBefore, "the connection went through the proxy");
        assertTrue(proxy.targets().contains("127.0.0.1:" + selfSigned.port()), proxy.targets().toString());
    }

    private static void assertEveryNotificationArrives(String connector, Map<String, String> overrides)
            throws InterruptedException {
        String room = connector.replace("-", "");
        Map<String, String> props = new HashMap<>(overrides);
        props.put("astro.url", selfSigned.uri().toString());
        fixture.configureConnector(connector, ConnectFixture.pairs(TOPIC, room), props);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, connector
                + " is not running");
        assertTrue(selfSigned.awaitSubscribers(TOPIC, room, 1, AWAIT), "not subscribed over wss://");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < NOTIFICATIONS; i++) {
            ids.add(selfSigned.publish(TOPIC, room, "{\"type\":\"tip\",\"data\":{\"n\":" + i + "}}"));
        }
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(AWAIT,
                r -> r.stream().map(ConnectFixture::id).toList().containsAll(ids), Duration.ofMillis(1000), connector);

        DeliveryTally.of(selfSigned, ids, records).assertNoLossNoDuplicates(NOTIFICATIONS);
    }

    /** Starts the connector against {@code gateway} with a short reconnect budget, and returns its task's trace. */
    private static String assertTaskFailsWith(String connector, AstroEmulator gateway, Map<String, String> overrides,
                                              String... reasons) throws InterruptedException {
        Map<String, String> props = new HashMap<>(overrides);
        props.put("astro.url", gateway.uri().toString());
        props.put("reconnect.max.duration.ms", "1000");
        fixture.configureConnector(connector, ConnectFixture.pairs(TOPIC, "room1"), props);
        fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(connector, 1,
                connector + ": the task did not fail");
        String trace = fixture.status(connector).tasks().get(0).trace();
        for (String reason : reasons) {
            assertTrue(trace.contains(reason), "'" + reason + "' missing in: " + trace);
        }
        assertFalse(trace.contains(ConnectFixture.TOKEN), "the trace must not contain the token");
        return trace;
    }

    private static AstroEmulator gateway(SSLContext tls) {
        AstroEmulator gateway = AstroEmulator.startTls(tls);
        gateway.acceptToken(ConnectFixture.TOKEN, ConnectFixture.OWN_ROOM);
        gateways.add(gateway);
        return gateway;
    }

    private static Map<String, String> trustStore(Path path) {
        return Map.of("astro.ssl.truststore.location", path.toString(),
                "astro.ssl.truststore.password", TestCertificates.PASSWORD);
    }

    private static Map<String, String> proxySettings(String password) {
        return Map.of("astro.proxy.url", proxy.uri().toString(), "astro.proxy.user", PROXY_USER,
                "astro.proxy.password", password);
    }
}
