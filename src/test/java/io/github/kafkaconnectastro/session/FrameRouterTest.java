package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.util.RateLimitedLog;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader's side of a session, fed the documents' frames by hand, with no socket. */
class FrameRouterTest {

    private static final String CHANNEL = "6183c7d4ebc632abbf809890";
    private static final Subscription OWN = new Subscription("channel.activities", "");
    private static final String ACTIVITY = DocumentExamples.text("protocol-notification-activity.json");

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    private FrameRouter router(NotificationBuffer buffer, Subscription... pairs) {
        return new FrameRouter(new AstroCodec(64), 64 * 1024, new Routes(List.of(pairs), metrics), buffer, metrics,
                new RateLimitedLog(30_000), events::add);
    }

    private static String activity(String id) {
        return DocumentExamples.with(ACTIVITY, "id", id);
    }

    @Test
    void anOwnChannelPairTakesTheDocumentsNotificationKeyedByTheChannelId() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        router(buffer, OWN).onText(new FakeInbound(), ACTIVITY);
        List<Delivery> delivered = buffer.poll(10, 0);
        assertEquals(1, delivered.size());
        assertEquals(OWN, delivered.get(0).subscription());
        assertEquals(CHANNEL, delivered.get(0).room());
        assertEquals("01HPPM2TQ6CCMFQGHEN8MM1NN0", delivered.get(0).notification().id());
    }

    @Test
    void theDocumentsBroadcastIsCountedAndWrittenNowhere() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        router.onText(new FakeInbound(), DocumentExamples.text("seed-notification-broadcast.json"));
        router.onText(new FakeInbound(), DocumentExamples.text("seed-notification-broadcast.json"));
        assertEquals(2, metrics.broadcasts.get());
        assertEquals(0, buffer.size());
        assertTrue(metrics.malformed.isEmpty(), "a broadcast is not a malformed frame: " + metrics.malformed);
    }

    @Test
    void answersTheWelcomeAndReconnectGoToTheSessionThread() {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        FakeInbound source = new FakeInbound();
        router.onText(source, DocumentExamples.text("seed-response-success.json"));
        router.onText(source, DocumentExamples.text("protocol-welcome.json"));
        router.onText(source, DocumentExamples.text("protocol-reconnect.json"));
        assertEquals(3, events.size());
        assertInstanceOf(SessionEvent.Answer.class, events.get(0));
        assertInstanceOf(SessionEvent.Welcomed.class, events.get(1));
        assertInstanceOf(SessionEvent.ReconnectAsked.class, events.get(2));
        assertTrue(events.stream().allMatch(e -> e.source() == source), "each event names its connection");
    }

    @Test
    void badFramesAreCountedByKindAndTheGoodOnesStillArrive() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        FrameRouter router = router(buffer, new Subscription("channel.activities", CHANNEL));
        FakeInbound source = new FakeInbound();
        router.onText(source, "{not json");
        router.onText(source, "{\"type\":\"telemetry\",\"id\":\"01A\"}");
        router.onText(source, DocumentExamples.with(ACTIVITY, "room", "a-room-nobody-asked-for"));
        router.onText(source, "{\"type\":\"message\",\"id\":\"01B\",\"topic\":\"channel.tips\",\"data\":{\"x\":\""
                + "x".repeat(70 * 1024) + "\"}}");
        router.onText(source, activity("01HPPM2TQ6CCMFQGHEN8MM1NN1"));
        assertEquals(1, metrics.malformed("invalid_json"));
        assertEquals(1, metrics.malformed("unknown_type"));
        assertEquals(1, metrics.malformed("unsubscribed"));
        assertEquals(1, metrics.malformed("too_large"));
        assertEquals(1, buffer.poll(10, 0).size());
    }

    @Test
    void theWaitingFlagIsPerConnection() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(1, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        router.onText(new FakeInbound(), activity("01HPPM2TQ6CCMFQGHEN8MM1NN1"));
        FakeInbound blocked = new FakeInbound();
        FakeInbound other = new FakeInbound();
        Thread reader = new Thread(() -> router.onText(blocked, activity("01HPPM2TQ6CCMFQGHEN8MM1NN2")));
        reader.start();
        awaitTrue(blocked::readerWaiting);
        assertFalse(other.readerWaiting(), "another connection's reader is not waiting");
        buffer.poll(1, 0);
        reader.join(5_000);
        assertFalse(blocked.readerWaiting());
        assertEquals(1, buffer.size());
    }

    /**
     * A reader blocked on a full buffer whose connection is given up must end, or every reconnect while Kafka is
     * slow leaves one more reader thread behind.
     */
    @Test
    void readersOfReplacedConnectionsAreReleasedFromAFullBuffer() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(1, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        router.onText(new FakeInbound(), activity("01HPPM2TQ6CCMFQGHEN8MM1NN0"));
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            FakeInbound connection = new FakeInbound();
            String id = "01HPPM2TQ6CCMFQGHEN8MM1P" + (char) ('A' + i) + "0";
            Thread reader = new Thread(() -> router.onText(connection, activity(id)), "reader-" + i);
            reader.start();
            awaitTrue(connection::readerWaiting);
            connection.retired = true;
            buffer.wakeWaiters();
            readers.add(reader);
        }
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(5));
            assertFalse(reader.isAlive(), reader.getName() + " is left behind");
        }
        assertEquals(1, buffer.size(), "the buffer's bound held");
    }

    @Test
    void aNotificationWithNoRoomGoesToTheOnlyPairOfItsTopic() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        Subscription status = new Subscription("channel.stream.status", CHANNEL);
        router(buffer, status).onText(new FakeInbound(), "{\"id\":\"01HPPM2TQ6CCMFQGHEN8MM1NN0\",\"ts\":\""
                + Instant.now() + "\",\"type\":\"message\",\"topic\":\"channel.stream.status\",\"data\":{\"isLive\":true}}");
        List<Delivery> delivered = buffer.poll(10, 0);
        assertEquals(1, delivered.size());
        assertEquals(CHANNEL, delivered.get(0).room());
    }

    /**
     * Found by FrameRouterFuzzTest: a notification whose data.channel was empty taught the own-channel pair the room
     * "", and every later notification of its channel was then dropped as unsubscribed.
     */
    @Test
    void anEmptyChannelDoesNotBecomeTheOwnChannelsRoom() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        router.onText(new FakeInbound(), "{\"id\":\"01HPPM2TQ6CCMFQGHEN8MM1NN0\",\"ts\":\"2024-02-15T14:52:42Z\","
                + "\"type\":\"message\",\"topic\":\"channel.activities\",\"data\":{\"channel\":\"\"}}");
        router.onText(new FakeInbound(), activity("01HPPM2TQ6CCMFQGHEN8MM1NN1"));
        List<Delivery> delivered = buffer.poll(10, 0);
        assertEquals(2, delivered.size(), "dropped: " + metrics.malformed);
        assertEquals(CHANNEL, delivered.get(1).room());
        assertEquals(CHANNEL, metrics.confirmedRooms.get(OWN));
    }

    @Test
    void anOwnChannelPairLearnsOnlyARoomShapedLikeAChannelId() throws InterruptedException {
        NotificationBuffer buffer = new NotificationBuffer(10, 1 << 20);
        FrameRouter router = router(buffer, OWN);
        router.onText(new FakeInbound(), DocumentExamples.with(activity("01HPPM2TQ6CCMFQGHEN8MM1NN1"), "room",
                "a room/with\nodd text"));
        router.onText(new FakeInbound(), DocumentExamples.with(activity("01HPPM2TQ6CCMFQGHEN8MM1NN2"), "room",
                "r".repeat(Subscription.MAX_LEARNT_ROOM_CHARS + 1)));
        assertEquals(2, metrics.malformed("unsubscribed"), "odd rooms are not taken");
        router.onText(new FakeInbound(), ACTIVITY);
        List<Delivery> delivered = buffer.poll(10, 0);
        assertEquals(1, delivered.size());
        assertEquals(CHANNEL, delivered.get(0).room(), "the channel id is still learnt afterwards");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 5 s");
            Thread.sleep(5);
        }
    }
}
