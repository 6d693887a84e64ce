package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.integration.ConnectFixture;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task stopped while its buffer is full and more notifications wait unread on the socket must still end the
 * connection with a normal close the gateway receives. Closing a TCP socket with unread data makes the kernel
 * reset the connection, and a reset can make the gateway discard the close frame sent just before it.
 */
class SessionStopTest {

    private static final String TOKEN = "session-stop-token";
    private static final String TOPIC = "channel.activities";
    private static final String ROOM = "stop1";

    private AstroEmulator emulator;

    @BeforeEach
    void start() {
        emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, "own");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void closesNormallyWhenStoppedWithAFullBufferAndUnreadFrames() throws Exception {
        // A data object of about 4 KiB: 100 notifications are far more than one read of the socket takes.
        String data = "{\"type\":\"follow\",\"note\":\"" + "x".repeat(4000) + "\"}";
        for (int round = 1; round <= 10; round++) {
            NotificationBuffer buffer = new NotificationBuffer(5, 16 << 20);
            AstroSession session = session(buffer);
            session.start("astro-session-stop-test-" + round);
            assertTrue(emulator.awaitSubscribers(TOPIC, ROOM, 1, Duration.ofSeconds(10)), "not subscribed");
            for (int i = 0; i < 100; i++) {
                emulator.publish(TOPIC, ROOM, data);
            }
            assertTrue(await(() -> buffer.size() == 5), "the buffer did not fill up");
            int before = normalCloses();

            // What AstroSourceTask.stop() does.
            buffer.close();
            session.stopReading();
            session.close();

            int expected = before + 1;
            assertTrue(await(() -> normalCloses() == expected), "round " + round + ": no normal close reached the "
                    + "gateway; close codes seen: " + emulator.clientCloseCodes());
            assertTrue(emulator.awaitConnections(0, Duration.ofSeconds(10)), "connection still open");
        }
        assertEquals(10, normalCloses());
    }

    /**
     * Issue 20, item 4: Connect calls stop() after the last poll(), so whatever the gateway sends from then on is
     * lost; the stop's first step sends the close frame from the stopping thread, before the session's thread is
     * woken and joined.
     */
    @Test
    void theGatewaysFlowStopsBeforeTheSessionThreadIsJoined() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(1_000, 16 << 20);
        AstroSession session = session(buffer);
        session.start("astro-session-stop-early-test");
        try {
            assertTrue(emulator.awaitSubscribers(TOPIC, ROOM, 1, Duration.ofSeconds(10)), "not subscribed");
            buffer.close();
            session.stopReading();
            assertTrue(await(() -> normalCloses() == 1), "no normal close before the session thread was joined: "
                    + emulator.clientCloseCodes());
            assertTrue(emulator.awaitNoSubscribers(TOPIC, ROOM, Duration.ofSeconds(10)));
        } finally {
            session.close();
        }
        assertTrue(emulator.awaitConnections(0, Duration.ofSeconds(10)), "connection still open");
        assertEquals(List.of(1000), emulator.clientCloseCodes());
    }

    private AstroSession session(NotificationBuffer buffer) {
        AstroSourceConnectorConfig config = new AstroSourceConnectorConfig(Map.of(
                "astro.url", emulator.uri().toString(),
                "astro.token", TOKEN,
                "astro.token.type", "jwt",
                "astro.subscriptions", TOPIC + ":" + ROOM));
        List<Subscription> subscriptions = config.subscriptions();
        return new AstroSession(config.sessionSettings(), subscriptions, buffer, SessionListener.NONE);
    }

    private int normalCloses() {
        return (int) emulator.clientCloseCodes().stream().filter(code -> code == 1000).count();
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, Duration.ofSeconds(10));
    }
}
