package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationBufferTest {

    private static final Subscription SUB = new Subscription("channel.tips", "r1");

    private static Delivery delivery(String id, int dataChars) {
        return new Delivery(SUB, "r1", new AstroMessage.Notification(id, Instant.EPOCH, "channel.tips", "r1", null, null,
                "x".repeat(dataChars), dataChars));
    }

    @Test
    void returnsEmptyBatchAfterTimeoutWhenIdle() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(10, 10_000);
        long start = System.nanoTime();
        assertTrue(buffer.poll(10, 50).isEmpty());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45));
    }

    @Test
    void putWaitsWhenFullInRecordsUntilPolled() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(2, 1_000_000);
        buffer.put(delivery("1", 1));
        buffer.put(delivery("2", 1));
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> put(buffer, delivery("3", 1)));
        Thread.sleep(100);
        assertFalse(third.isDone(), "a full buffer must make the reader wait");
        assertEquals(2, buffer.poll(1, 10).size() + 1);
        assertTrue(third.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("2", "3"), buffer.poll(10, 10).stream().map(d -> d.notification().id()).toList());
    }

    @Test
    void putWaitsWhenFullInBytes() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(1000, 400);
        buffer.put(delivery("1", 100));
        assertEquals(300, buffer.bytes());
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> put(buffer, delivery("2", 100)));
        Thread.sleep(100);
        assertFalse(second.isDone());
        buffer.poll(10, 10);
        assertTrue(second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void acceptsAnOversizedDeliveryWhenEmpty() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(10, 100);
        assertTrue(buffer.put(delivery("big", 1000)));
        assertEquals(1, buffer.size());
    }

    @Test
    void closeReleasesAWaitingReader() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(1, 1000);
        buffer.put(delivery("1", 1));
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> put(buffer, delivery("2", 1)));
        Thread.sleep(200);
        buffer.close();
        assertFalse(second.get(10, TimeUnit.SECONDS));
        assertTrue(buffer.closedWhenFull(), "the session drains the socket before closing only then");
    }

    @Test
    void saysWhetherItWasFullWhenClosed() throws Exception {
        NotificationBuffer full = new NotificationBuffer(1, 1000);
        full.put(delivery("1", 1));
        full.close();
        assertTrue(full.closedWhenFull(), "full in records, though no put was waiting yet");

        NotificationBuffer notFull = new NotificationBuffer(2, 1000);
        notFull.put(delivery("1", 1));
        notFull.close();
        assertFalse(notFull.put(delivery("2", 1)), "closed");
        assertFalse(notFull.closedWhenFull());
        notFull.close();
        assertFalse(notFull.closedWhenFull(), "only the first close counts");
    }

    @Test
    void failureComesAfterEveryDeliveredNotification() throws Exception {
        NotificationBuffer buffer = new NotificationBuffer(10, 10_000);
        buffer.put(delivery("1", 1));
        buffer.fail(new ConnectException("refused"));
        assertEquals(1, buffer.poll(10, 10).size());
        assertEquals("refused", assertThrows(ConnectException.class, () -> buffer.poll(10, 10)).getMessage());
    }

    private static boolean put(NotificationBuffer buffer, Delivery d) {
        try {
            return buffer.put(d);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
