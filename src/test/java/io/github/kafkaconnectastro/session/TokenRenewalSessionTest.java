package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.auth.Credentials;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.integration.ConnectFixture;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A renewed token is taken into use make-before-break: a second connection subscribes with it while the first
 * still delivers, and only then is the first closed, so nothing pushed meanwhile is missed.
 */
class TokenRenewalSessionTest {

    private static final String TOPIC = "channel.activities";
    private static final String ROOM = "renew1";

    private AstroEmulator emulator;

    @BeforeEach
    void start() {
        emulator = AstroEmulator.start();
        emulator.acceptToken("token-a", "own");
        emulator.acceptToken("token-b", "own");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** A token that a test replaces, as OAuth2 refreshes do. */
    private static final class Renewable implements Credentials {
        final AtomicReference<Password> token = new AtomicReference<>(new Password("token-a"));
        final AtomicLong version = new AtomicLong();

        @Override
        public Password token() {
            return token.get();
        }

        @Override
        public TokenType type() {
            return TokenType.OAUTH2;
        }

        @Override
        public long version() {
            return version.get();
        }

        void renew(String next) {
            token.set(new Password(next));
            version.incrementAndGet();
        }
    }

    @Test
    void aRenewedTokenSubscribesOnANewConnectionBeforeTheOldOneClosesAndNothingIsMissed() throws Exception {
        Renewable credentials = new Renewable();
        NotificationBuffer buffer = new NotificationBuffer(100_000, 64 << 20);
        AstroSourceConnectorConfig config = new AstroSourceConnectorConfig(Map.of(
                "astro.url", emulator.uri().toString(),
                "astro.token", "unused",
                "astro.subscriptions", TOPIC + ":" + ROOM));
        List<Subscription> subscriptions = config.subscriptions();
        AstroSession session = new AstroSession(config.sessionSettingsBuilder().credentials(credentials).build(),
                subscriptions, buffer, SessionListener.NONE);
        List<String> published = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                published.add(emulator.publish(TOPIC, ROOM, "{\"type\":\"follow\"}"));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            session.start("astro-session-renewal-test");
            assertTrue(emulator.awaitSubscribers(TOPIC, ROOM, 1, Duration.ofSeconds(10)), "not subscribed");
            publisher.start();
            Thread.sleep(300);

            credentials.renew("token-b");
            assertTrue(ConnectFixture.eventually(() -> emulator.handshakeCount() == 2
                    && emulator.connectionCount() == 1 && emulator.subscriberCount(TOPIC, ROOM) == 1,
                    Duration.ofSeconds(20)), "the old connection was not replaced");
            Thread.sleep(300);
            publishing.set(false);
            publisher.join();

            Set<String> received = new HashSet<>();
            List<Delivery> batch;
            while (!(batch = buffer.poll(10_000, 200)).isEmpty()) {
                batch.forEach(delivery -> received.add(delivery.notification().id()));
            }
            assertEquals(2, emulator.peakSubscriberCount(TOPIC, ROOM), "the two connections never overlapped");
            assertTrue(emulator.receivedCommands().stream().anyMatch(c -> c.contains("token-b")),
                    "no subscribe with the renewed token");
            List<String> missed = published.stream().filter(id -> !received.contains(id)).toList();
            assertEquals(List.of(), missed, "missed of " + published.size());
        } finally {
            publishing.set(false);
            buffer.close();
            session.close();
        }
    }
}
