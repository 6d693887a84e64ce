package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.session.SessionSettings;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionProbeTest {

    private static final String TOKEN = "probe-token-1b2c3d";
    private static final Subscription GOOD = new Subscription("channel.activities", "room1");
    private static final Subscription NO_SCOPE = new Subscription("channel.tips", "room1");
    private static final Subscription UNKNOWN = new Subscription("channel.nope", "room1");
    private static final Subscription OWN = new Subscription("channel.activities", "");

    private AstroEmulator emulator;

    @BeforeEach
    void start() {
        emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, "own0001");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static SessionSettings settings(URI uri, String token) {
        Map<String, String> props = new HashMap<>();
        props.put("astro.url", uri.toString());
        props.put("astro.token", token);
        props.put("astro.subscriptions", "channel.activities");
        props.put("astro.connect.timeout.ms", "2000");
        props.put("astro.subscribe.timeout.ms", "2000");
        return new AstroSourceConnectorConfig(props).sessionSettings();
    }

    @Test
    void reportsEachPairsAnswerAndLeavesNothingSubscribed() {
        // A probe sees no notification, so only a gateway that names the room tells it the own channel's id;
        // the documents' responses name none.
        emulator.setEchoRoomInResponses(true);
        emulator.failSubscriptions("channel.tips", "room1", "err_unauthorized");
        emulator.failSubscriptions("channel.nope", "room1", "err_bad_request");

        ProbeReport report = SubscriptionProbe.run(settings(emulator.uri(), TOKEN), List.of(GOOD, NO_SCOPE, UNKNOWN, OWN));

        assertNull(report.connectFailure());
        assertEquals(List.of(GOOD, NO_SCOPE, UNKNOWN, OWN), List.copyOf(report.pairs().keySet()));
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(GOOD).verdict());
        assertEquals("own0001", report.pairs().get(OWN).confirmedRoom());
        assertEquals(ProbeReport.Verdict.REFUSED, report.pairs().get(NO_SCOPE).verdict());
        assertEquals("err_unauthorized", report.pairs().get(NO_SCOPE).code());
        assertEquals("err_bad_request", report.pairs().get(UNKNOWN).code());
        assertTrue(emulator.awaitConnections(0, Duration.ofSeconds(5)), "the probe disconnects");
        long unsubscribes = emulator.receivedCommands().stream().filter(c -> c.contains("\"unsubscribe\"")).count();
        assertEquals(2, unsubscribes, "one unsubscribe per accepted pair");
        assertTrue(emulator.receivedCommands().stream().anyMatch(c -> c.contains("\"unsubscribe\"")
                && c.contains("own0001")), "the own channel is left by its confirmed room");
    }

    @Test
    void badTokenIsRefusedForEveryPairWithoutRepeatingIt() {
        String wrong = "wrong-token-9z8y7x";
        ProbeReport report = SubscriptionProbe.run(settings(emulator.uri(), wrong), List.of(GOOD, OWN));
        for (ProbeReport.Answer answer : report.pairs().values()) {
            assertEquals(ProbeReport.Verdict.REFUSED, answer.verdict());
            assertEquals("err_unauthorized", answer.code());
        }
        assertFalse(report.toString().contains(wrong));
    }

    @Test
    void unreachableGatewayIsReportedAsSuch() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        ProbeReport report = SubscriptionProbe.run(settings(URI.create("ws://127.0.0.1:" + freePort), TOKEN),
                List.of(GOOD));
        assertNotNull(report.connectFailure());
        assertTrue(report.pairs().isEmpty());
    }

    @Test
    void rateLimitedSubscribesAreRetried() {
        emulator.failNextSubscribes("channel.activities", "room1", "rate_limit_exceeded", 1);
        ProbeReport report = SubscriptionProbe.run(settings(emulator.uri(), TOKEN), List.of(GOOD));
        assertEquals(ProbeReport.Verdict.ACCEPTED, report.pairs().get(GOOD).verdict());
    }
}
