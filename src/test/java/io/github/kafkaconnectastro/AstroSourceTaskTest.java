package io.github.kafkaconnectastro;

import io.github.kafkaconnectastro.auth.CredentialOffsets;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import io.github.kafkaconnectastro.emulator.RestApiServer;
import io.github.kafkaconnectastro.connector.TaskCredentials;
import io.github.kafkaconnectastro.integration.ConnectFixture;
import io.github.kafkaconnectastro.integration.LogCapture;
import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class AstroSourceTaskTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final String CHANNEL = "aaaaaaaaaaaaaaaaaaaaaaaa";

    @Test
    void aFailedStartLeavesNoMBeansBehind() throws Exception {
        AstroSourceTask task = new AstroSourceTask();
        task.initialize(context(new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                throw new ConnectException("offset store unavailable");
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                throw new ConnectException("offset store unavailable");
            }
        }));
        Map<String, String> props = Map.of("name", "start-fails", "astro.token", "t0ken",
                "astro.subscriptions", "channel.tips:a,channel.activities", "astro.task.id", "0");

        ConnectException e = assertThrows(ConnectException.class, () -> task.start(props));
        assertEquals("offset store unavailable", e.getMessage());
        assertEquals(0, ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName(MetricsRegistration.DOMAIN + ":connector=start-fails,*"), null).size());
    }

    /**
     * The wiring of a started task: the session's events reach the metrics and the gap side, so that a lost
     * connection is counted as a gap of the own channel and repaired from the room the gateway confirmed, and the
     * metrics show the token's expiry.
     */
    @Test
    void aGapOfTheOwnChannelIsCountedAndRepairedFromTheConfirmedRoom() throws Exception {
        try (AstroEmulator emulator = AstroEmulator.start(); RestApiServer rest = RestApiServer.start(emulator)) {
            emulator.setEchoRoomInResponses(true);
            Instant expiry = Instant.now().plus(Duration.ofHours(1));
            AstroSourceTask task = new AstroSourceTask();
            task.initialize(context(new NoOffsets()));
            task.start(Map.of("name", "task-wiring", "astro.task.id", "0", "astro.url", emulator.uri().toString(),
                    "astro.token", emulator.issueJwt(CHANNEL, expiry), "astro.token.type", "jwt",
                    "astro.subscriptions", "channel.tips", "astro.rest.url", rest.baseUri().toString(),
                    "astro.backfill.margin.ms", "100", "reconnect.backoff.initial.ms", "20",
                    "reconnect.backoff.max.ms", "100"));
            try {
                ObjectName taskName = MetricsRegistration.taskMetricsName("task-wiring", 0);
                ObjectName pair = MetricsRegistration.subscriptionMetricsName("task-wiring", 0,
                        new Subscription("channel.tips", ""));
                assertTrue(await(() -> CHANNEL.equals(attribute(pair, "ConfirmedRoom"))));
                long secondsLeft = (Long) attribute(taskName, "TokenSecondsLeft");
                assertTrue(secondsLeft > 3500 && secondsLeft <= 3600, "TokenSecondsLeft " + secondsLeft);

                emulator.dropAllConnections();

                assertTrue(await(() -> Long.valueOf(1).equals(attribute(pair, "Gaps"))));
                assertTrue(await(() -> Long.valueOf(1).equals(attribute(pair, "RepairedGaps"))));
                assertTrue(rest.requests().get(0).contains("/tips/" + CHANNEL), "read: " + rest.requests());
            } finally {
                task.stop();
            }
        }
    }

    /**
     * Connect commits what poll() returned, and polls neither a stopping nor a paused task: a refresh token rotated
     * anywhere else than in poll() can be lost before it reaches the offsets (issue 20, item 1). Task 0 stopped
     * after start() and before any poll() (a rebalance) must leave the configured refresh token unspent, and a
     * task 0 that polls returns, with the very poll that refreshed, the record that keeps the rotated token.
     */
    @Test
    void task0RotatesTheRefreshTokenOnlyInPollWhichReturnsItsRecord() throws Exception {
        try (AstroEmulator emulator = AstroEmulator.start();
             OAuth2Endpoint endpoint = OAuth2Endpoint.start(emulator, "client-1", "secret-1", "own")) {
            Map<String, String> props = new HashMap<>(oauth2Task0(emulator, endpoint, "rotation"));
            // Far longer than a refresh takes, so that a first refresh that waited for it shows.
            props.put("poll.timeout.ms", "20000");
            AstroSourceTask stopped = new AstroSourceTask();
            stopped.initialize(context(new NoOffsets()));
            stopped.start(props);
            Thread.sleep(500);
            stopped.stop();
            assertEquals(0, endpoint.refreshCount(), "task 0 refreshed though it was never polled: Connect would "
                    + "never have committed the rotated refresh token");

            AstroSourceTask polled = new AstroSourceTask();
            polled.initialize(context(new NoOffsets()));
            polled.start(props);
            try {
                long start = System.nanoTime();
                List<SourceRecord> first = polled.poll();
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(),
                        "the first refresh waited for the poll timeout");
                assertEquals(1, endpoint.refreshCount());
                assertTrue(first != null && first.stream().anyMatch(r -> CredentialOffsets.PARTITION.equals(
                        r.sourcePartition())), "the poll that refreshed did not return the record that keeps it");
                assertEquals(0, endpoint.refusalCount());
            } finally {
                polled.stop();
            }
        }
    }

    /**
     * A refresh record that Connect has not acknowledged ({@code commitRecord}) when it stops the task was not
     * committed (Connect cancelled the task after its graceful stop timeout, or the producer failed): the stop says
     * so at ERROR, with the consequence and what to set. An acknowledged one is not reported.
     */
    @Test
    void aStopBeforeTheRefreshRecordWasWrittenSaysTheRotatedRefreshTokenIsLost() throws Exception {
        try (AstroEmulator emulator = AstroEmulator.start();
             OAuth2Endpoint endpoint = OAuth2Endpoint.start(emulator, "client-1", "secret-1", "own")) {
            List<LogCapture.Line> written;
            List<LogCapture.Line> notWritten;
            try (LogCapture capture = LogCapture.of(Map.of(TaskCredentials.class.getName(), Level.ERROR))) {
                AstroSourceTask acknowledged = new AstroSourceTask();
                acknowledged.initialize(context(new NoOffsets()));
                acknowledged.start(oauth2Task0(emulator, endpoint, "acknowledged"));
                try {
                    for (SourceRecord record : acknowledged.poll()) {
                        acknowledged.commitRecord(record, null);
                    }
                } finally {
                    acknowledged.stop();
                }
                written = capture.lines();

                AstroSourceTask cancelled = new AstroSourceTask();
                cancelled.initialize(context(new NoOffsets()));
                cancelled.start(oauth2Task0(emulator, endpoint, "cancelled"));
                try {
                    assertTrue(cancelled.poll().stream().anyMatch(r -> CredentialOffsets.PARTITION.equals(
                            r.sourcePartition())), "no refresh record");
                } finally {
                    cancelled.stop();
                }
                notWritten = capture.lines();
            }
            assertEquals(List.of(), written, "an acknowledged refresh record reported lost");
            assertEquals(1, notWritten.size(), notWritten.toString());
            String error = notWritten.get(0).text();
            assertTrue(error.contains("invalid_grant") && error.contains("task.shutdown.graceful.timeout.ms")
                    && error.contains("cancels"), error);
            assertEquals(2, endpoint.refreshCount());
        }
    }

    /** Task 0 of a connector with OAuth2 against the emulated endpoint, from a refresh token of its own. */
    private static Map<String, String> oauth2Task0(AstroEmulator emulator, OAuth2Endpoint endpoint, String name) {
        return Map.of("name", name, "astro.task.id", "0", "astro.url", emulator.uri().toString(),
                "astro.subscriptions", "channel.tips", "astro.oauth2.client.id", "client-1",
                "astro.oauth2.client.secret", "secret-1", "astro.oauth2.refresh.token", endpoint.issueRefreshToken(),
                "astro.oauth2.token.url", endpoint.tokenUrl().toString());
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, Duration.ofSeconds(20));
    }

    private static Object attribute(ObjectName name, String attribute) {
        try {
            return SERVER.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new AssertionError(e);
        }
    }

    /** The offsets of a connector that never committed any. */
    private static final class NoOffsets implements OffsetStorageReader {
        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return null;
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            return Map.of();
        }
    }

    /**
     * A context that only reads offsets. A proxy rather than a class: the interface gained an abstract method in
     * Kafka 4 ({@code pluginMetrics()}, whose type Kafka 3.6 lacks), and the tests compile against both.
     */
    private static SourceTaskContext context(OffsetStorageReader reader) {
        return (SourceTaskContext) Proxy.newProxyInstance(AstroSourceTaskTest.class.getClassLoader(),
                new Class<?>[] {SourceTaskContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("offsetStorageReader")) {
                        return reader;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
