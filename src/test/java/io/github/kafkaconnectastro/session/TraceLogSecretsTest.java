package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.integration.ConnectFixture;
import io.github.kafkaconnectastro.integration.LogCapture;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the connector's loggers and Java-WebSocket's at TRACE, a session's whole life (connect, subscribe,
 * notifications, a resume the gateway refuses, a resume it honours, a connect refused, a stop) logs neither the
 * token nor a reconnect token the session sends. docs/operations.md says what the library still shows at TRACE: the
 * frames it receives, among them the gateway's own reconnect message.
 */
class TraceLogSecretsTest {

    /** Short: the library prints a frame's payload up to 1000 bytes, so a short token is the one it would show. */
    private static final String TOKEN = "trace-secret-token-5d1e9b";
    private static final String TOPIC = "channel.activities";
    private static final String ROOM = "trace1";
    private static final String CONTEXT = "[trace-secrets|task-0] ";
    private static final List<String> CLIENT_THREADS =
            List.of("astro-session-", "WebSocketConnectReadThread-", "WebSocketWriteThread-");

    private static final List<String> RECEIVED_FRAME_LINES = List.of("process(", "afterDecoding(", "matched frame: ");

    @Test
    void neitherTheTokenNorAReconnectTokenSentIsLoggedAtTrace() throws Exception {
        List<LogCapture.Line> lines;
        List<String> handshakePaths;
        try (AstroEmulator emulator = AstroEmulator.start();
             LogCapture capture = LogCapture.of(Map.of(
                     "io.github.kafkaconnectastro", Level.TRACE,
                     "org.java_websocket", Level.TRACE))) {
            emulator.acceptToken(TOKEN, "own");
            runSession(emulator);
            lines = capture.lines();
            handshakePaths = emulator.handshakePaths();
        }

        List<String> reconnectTokens = handshakePaths.stream()
                .filter(path -> path.contains("reconnect_token="))
                .map(path -> URLDecoder.decode(path.substring(path.indexOf("reconnect_token=") + 16),
                        StandardCharsets.UTF_8))
                .toList();
        assertEquals(2, reconnectTokens.size(), "two resumes: " + handshakePaths);
        List<LogCapture.Line> clientLines = lines.stream().filter(TraceLogSecretsTest::isClientLine).toList();
        assertTrue(clientLines.stream().anyMatch(l -> l.logger().startsWith("org.java_websocket")
                && l.text().startsWith("send frame: ")), "Java-WebSocket logged at TRACE");
        List<LogCapture.Line> withToken = clientLines.stream().filter(l -> l.text().contains(TOKEN)).toList();
        assertEquals(List.of(), withToken, "lines with the token");
        List<LogCapture.Line> withReconnectToken = clientLines.stream()
                .filter(l -> reconnectTokens.stream().anyMatch(l.text()::contains) && !isReceivedFrame(l))
                .toList();
        assertEquals(List.of(), withReconnectToken, "lines with a reconnect token, other than the frame received");
    }

    private static void runSession(AstroEmulator emulator) throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(1_000, 16 << 20);
        AstroSession session;
        MDC.put("connector.context", CONTEXT);
        try {
            session = session(emulator, buffer);
        } finally {
            MDC.remove("connector.context");
        }
        session.start("astro-session-trace-secrets");
        try {
            assertTrue(emulator.awaitSubscribers(TOPIC, ROOM, 1, Duration.ofSeconds(10)), "not subscribed");
            publishAndReceive(emulator, buffer);

            // A resume the gateway refuses: a connect that fails with a reconnect token in the URI.
            emulator.refuseHandshakes(503, null, 1);
            emulator.sendReconnectToAll();
            assertTrue(await(() -> emulator.refusedHandshakeCount() == 1 && emulator.subscribeCommandCount() == 2
                    && emulator.subscriberCount(TOPIC, ROOM) == 1), "subscribed afresh after the refused resume");

            emulator.sendReconnectToAll();
            assertTrue(await(() -> emulator.restoredReconnectCount() == 1
                    && emulator.subscriberCount(TOPIC, ROOM) == 1), "resumed");
            publishAndReceive(emulator, buffer);

            // A lost connection and a connect refused.
            emulator.refuseHandshakes(503, null, 1);
            emulator.dropAllConnections();
            assertTrue(await(() -> emulator.refusedHandshakeCount() == 2 && emulator.subscribeCommandCount() == 3
                    && emulator.subscriberCount(TOPIC, ROOM) == 1), "subscribed again after the refused connect");
            publishAndReceive(emulator, buffer);
        } finally {
            buffer.close();
            session.close();
        }
        assertTrue(emulator.awaitConnections(0, Duration.ofSeconds(10)), "stopped");
    }

    private static void publishAndReceive(AstroEmulator emulator, NotificationBuffer buffer) {
        int before = buffer.size();
        for (int i = 0; i < 3; i++) {
            emulator.publish(TOPIC, ROOM, "{\"type\":\"follow\"}");
        }
        assertTrue(await(() -> buffer.size() == before + 3), "notifications received");
    }

    private static AstroSession session(AstroEmulator emulator, NotificationBuffer buffer) {
        AstroSourceConnectorConfig config = new AstroSourceConnectorConfig(Map.of(
                "astro.url", emulator.uri().toString(),
                "astro.token", TOKEN,
                "astro.token.type", "jwt",
                "astro.subscriptions", TOPIC + ":" + ROOM,
                "reconnect.backoff.initial.ms", "20",
                "reconnect.backoff.max.ms", "100"));
        List<Subscription> subscriptions = config.subscriptions();
        return new AstroSession(config.sessionSettings(), subscriptions, buffer, SessionListener.NONE);
    }

    /** The session's lines, not the emulator's: the emulator runs Java-WebSocket in this JVM too. */
    private static boolean isClientLine(LogCapture.Line line) {
        return CONTEXT.equals(line.context()) || CLIENT_THREADS.stream().anyMatch(line.thread()::startsWith);
    }

    /**
     * The library logs at TRACE each frame it reads (the bytes read, the frame decoded, the frame matched) before the
     * connector sees it: the gateway's reconnect message, with its reconnect token, cannot be kept out
     * (docs/operations.md).
     */
    private static boolean isReceivedFrame(LogCapture.Line line) {
        return line.logger().startsWith("org.java_websocket.")
                && line.thread().startsWith("WebSocketConnectReadThread-")
                && RECEIVED_FRAME_LINES.stream().anyMatch(line.text()::startsWith)
                && line.text().contains("{\"type\":\"reconnect\"");
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, Duration.ofSeconds(10));
    }
}
