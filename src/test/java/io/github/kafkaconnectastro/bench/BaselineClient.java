package io.github.kafkaconnectastro.bench;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: a plain client of the websocket library the connector uses, which subscribes like the connector
 * and then only counts the notification frames it receives. The connector cannot beat it on the same emulator,
 * socket and machine, so the ratio of the two says how much of the reachable rate the connector reaches.
 * Single-use, like every client of the library: one per round.
 */
final class BaselineClient extends WebSocketClient {

    private static final long TIMEOUT_SECONDS = 10;

    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long expected = Long.MAX_VALUE;
    private volatile String refusal;
    private volatile Thread reader;
    private volatile long firstNanos;
    private volatile long lastNanos;
    private volatile int frameChars;
    /** Written by the library's reader thread only. */
    private long received;

    private BaselineClient(URI uri) {
        super(uri);
        setConnectionLostTimeout(0);
        setDaemon(true);
    }

    /** Connects, subscribes to the room and returns once the subscription is confirmed. */
    static BaselineClient subscribe(URI uri, String token, String topic, String room) throws InterruptedException {
        BaselineClient client = new BaselineClient(uri);
        if (!client.connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the baseline client could not connect to " + uri);
        }
        client.send("{\"type\":\"subscribe\",\"nonce\":\"baseline\",\"data\":{\"topic\":\"" + topic
                + "\",\"room\":\"" + room + "\",\"token\":\"" + token + "\",\"token_type\":\"jwt\"}}");
        if (!client.subscribed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) || client.refusal != null) {
            client.closeBlocking();
            throw new IllegalStateException("the baseline client's subscribe failed: " + client.refusal);
        }
        return client;
    }

    /** Sets how many notifications make a round; call before they are published. */
    void expect(long count) {
        expected = count;
    }

    boolean awaitAll(long timeoutMs) throws InterruptedException {
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** From the first notification frame to the last expected one. */
    long nanos() {
        return lastNanos - firstNanos;
    }

    /** Characters (bytes: the payload is ASCII) of the first notification frame. */
    int frameChars() {
        return frameChars;
    }

    /** CPU time of the library's reader thread, which does all of the client's work. */
    long readerCpuNanos() {
        Thread thread = reader;
        return thread == null ? 0 : ThreadCpu.of(thread);
    }

    /** Closes the connection and waits for the reader thread to end, so it cannot be mistaken for another. */
    void closeAndJoin() throws InterruptedException {
        closeBlocking();
        Thread thread = reader;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        reader = Thread.currentThread();
    }

    @Override
    public void onMessage(String message) {
        if (subscribed.getCount() > 0) {
            // Before the answer to the subscribe only the welcome can arrive.
            if (message.contains("\"type\":\"response\"")) {
                if (message.contains("\"error\"")) {
                    refusal = message;
                }
                subscribed.countDown();
            }
            return;
        }
        long n = ++received;
        if (n == 1) {
            firstNanos = System.nanoTime();
            frameChars = message.length();
        }
        if (n == expected) {
            lastNanos = System.nanoTime();
            done.countDown();
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        if (subscribed.getCount() > 0) {
            refusal = "closed with code " + code + " " + reason;
            subscribed.countDown();
        }
    }

    @Override
    public void onError(Exception error) {
        refusal = error.toString();
    }
}
