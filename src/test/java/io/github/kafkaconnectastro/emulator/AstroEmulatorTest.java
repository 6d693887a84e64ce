package io.github.kafkaconnectastro.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.auth.JwtExpiry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AstroEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token";
    private static final String OWN_ROOM = "6183c7d4ebc632abbf809890";
    private static final String TOPIC = "channel.activities";
    /** How long a positive wait may take: generous, since CI runs this on a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The token of the gateway documents' example requests. */
    private static final String DOCS_TOKEN = "test_token";

    private AstroEmulator emulator;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startEmulator() {
        emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, OWN_ROOM);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        // Bounded: Java-WebSocket's closeBlocking waits for ever for a close the server may never answer (seen once,
        // on a loaded machine); a client whose reader a test parked is released first, or it could not read the answer.
        for (TestClient client : clients) {
            client.resumeReading();
            client.close();
            client.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        emulator.close();
    }

    @Test
    void sendsWelcomeOnConnect() throws Exception {
        TestClient client = connect(emulator.uri());
        JsonNode welcome = client.next();
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals(26, welcome.path("id").asText().length());
        assertNotNull(Instant.parse(welcome.path("ts").asText()));
        assertEquals("Welcome to Astro", welcome.path("data").path("message").asText());
        assertEquals(26, welcome.path("data").path("client_id").asText().length());
        assertEquals(1, emulator.connectionCount());
    }

    @Test
    void answersTheDocumentsSubscribeExampleWithTheDocumentsResponse() throws Exception {
        emulator.acceptToken(DOCS_TOKEN, OWN_ROOM);
        TestClient client = connectAndSkipWelcome();

        client.send(docText("seed-subscribe-request.json"));

        assertMatchesDocument("seed-response-success.json", client.nextRaw());
        assertEquals(1, emulator.subscriberCount("channel.follow", "channelId123"));
        assertEquals(1, emulator.subscribeCommandCount());
    }

    @Test
    void subscribesTheOwnChannelForTheOlderDocumentsRoomlessRequestAndNamesItOnlyInNotifications()
            throws Exception {
        emulator.acceptToken(DOCS_TOKEN, OWN_ROOM);
        TestClient client = connectAndSkipWelcome();

        client.send(docText("seed-2023-subscribe-request.json"));

        assertMatchesDocument("seed-response-success.json", client.nextRaw());
        assertTrue(emulator.awaitSubscribers("channel.follow", OWN_ROOM, 1, WAIT));
        emulator.publish("channel.follow", OWN_ROOM, "{}");
        assertEquals(OWN_ROOM, client.next().path("room").asText());
    }

    @Test
    void refusesAnUnknownTokenWithTheDocumentsErrorExample() throws Exception {
        TestClient client = connectAndSkipWelcome();

        client.send(docText("seed-subscribe-request.json"));

        assertMatchesDocument("seed-response-error-unauthorized.json", client.nextRaw());
        assertEquals(0, emulator.subscriberCount("channel.follow", "channelId123"));
    }

    @Test
    void echoRoomOptionNamesTheCanonicalRoomInResponses() throws Exception {
        emulator.setEchoRoomInResponses(true);
        emulator.aliasRoom("my-alias", "canonical-room");
        TestClient client = connectAndSkipWelcome();

        client.send(subscribe("n-1", TOPIC, "", TOKEN, "jwt"));
        JsonNode own = client.next();
        assertEquals("n-1", own.path("nonce").asText());
        assertFalse(own.has("error"));
        assertEquals("successfully subscribed to topic", own.path("data").path("message").asText());
        assertEquals(TOPIC, own.path("data").path("topic").asText());
        assertEquals(OWN_ROOM, own.path("data").path("room").asText());

        client.send(subscribe("n-2", TOPIC, "my-alias", TOKEN, "oauth2"));
        JsonNode aliased = client.next();
        assertEquals("n-2", aliased.path("nonce").asText());
        assertEquals("canonical-room", aliased.path("data").path("room").asText());

        assertEquals(1, emulator.subscriberCount(TOPIC, OWN_ROOM));
        assertEquals(1, emulator.subscriberCount(TOPIC, "canonical-room"));
        assertTrue(emulator.receivedCommands().get(0).contains("\"token\":\"" + TOKEN + "\""));

        emulator.setEchoRoomInResponses(false);
        client.send(subscribe("n-3", "channel.tips", "my-alias", TOKEN, "jwt"));
        JsonNode documented = client.next();
        assertEquals("n-3", documented.path("nonce").asText());
        assertFalse(documented.path("data").has("room"), documented.toString());
        assertEquals(1, emulator.subscriberCount("channel.tips", "canonical-room"));
    }

    @ParameterizedTest(name = "room echoed in responses: {0}")
    @ValueSource(booleans = {false, true})
    void refusesARepeatedSubscribeOnOneConnectionAsAlreadySubscribed(boolean echoRoom) throws Exception {
        emulator.setEchoRoomInResponses(echoRoom);
        TestClient client = connectAndSkipWelcome();
        TestClient other = connectAndSkipWelcome();

        client.send(subscribe("first", TOPIC, "", TOKEN, "jwt"));
        assertFalse(client.next().has("error"));
        // The own channel named explicitly is the same pair.
        client.send(subscribe("again", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        JsonNode repeat = client.next();
        assertError(repeat, "again", "err_bad_request");
        assertEquals(CommandProcessor.ALREADY_SUBSCRIBED, repeat.path("data").path("message").asText());
        assertEquals(1, emulator.subscriberCount(TOPIC, OWN_ROOM));

        other.send(subscribe("elsewhere", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertFalse(other.next().has("error"), "another connection may hold the same pair");
        client.send(unsubscribe("leave", TOPIC, OWN_ROOM));
        assertFalse(client.next().has("error"));
        client.send(subscribe("back", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertFalse(client.next().has("error"), "a pair left may be subscribed again");
        assertEquals(2, emulator.subscriberCount(TOPIC, OWN_ROOM));
    }

    @Test
    void broadcastReachesEveryConnectionAsTheDocumentsShowIt() throws Exception {
        TestClient subscriber = connectSubscribed();
        TestClient bystander = connectAndSkipWelcome();

        String message = doc("seed-notification-broadcast.json").path("data").path("message").asText();
        String id = emulator.broadcast(message);

        String received = subscriber.nextRaw();
        assertMatchesDocument("seed-notification-broadcast.json", received);
        assertEquals(id, JSON.readTree(received).path("id").asText());
        assertMatchesDocument("seed-notification-broadcast.json", bystander.nextRaw());
        assertEquals(2, emulator.deliveredCount(id));
        assertEquals(0, emulator.deliveredCount(), "a broadcast is not a notification to a subscriber");
    }

    @Test
    void refusesAnIssuedJwtOnceItsExpClaimHasPassed() throws Exception {
        Instant exp = Instant.now().plusSeconds(2);
        String jwt = emulator.issueJwt(OWN_ROOM, exp);
        assertEquals(Optional.of(Instant.ofEpochSecond(exp.getEpochSecond())), JwtExpiry.of(jwt));
        TestClient client = connectAndSkipWelcome();
        client.send(subscribe("a", TOPIC, OWN_ROOM, jwt, "jwt"));
        JsonNode accepted = client.next();
        assertEquals("response", accepted.path("type").asText());
        assertFalse(accepted.hasNonNull("error"), accepted.toString());
        Thread.sleep(Math.max(0, exp.toEpochMilli() - System.currentTimeMillis()) + 1_100);
        client.send(subscribe("b", "channel.tips", OWN_ROOM, jwt, "jwt"));
        assertError(client.next(), "b", "err_unauthorized");
    }

    @Test
    void rejectsBadTokensAndMalformedCommands() throws Exception {
        TestClient client = connectAndSkipWelcome();

        client.send(subscribe("a", TOPIC, OWN_ROOM, "wrong", "jwt"));
        assertError(client.next(), "a", "err_unauthorized");
        client.send(subscribe("b", TOPIC, OWN_ROOM, TOKEN, "password"));
        assertError(client.next(), "b", "err_bad_request");
        client.send(subscribe("c", "Channel Activities!", OWN_ROOM, TOKEN, "jwt"));
        assertError(client.next(), "c", "err_bad_request");
        client.send("{\"type\":\"listen\",\"nonce\":\"d\",\"data\":{}}");
        assertError(client.next(), "d", "invalid_message_type");
        client.send("this is not json");
        assertError(client.next(), null, "invalid_message");

        assertEquals(0, emulator.subscriberCount(TOPIC, OWN_ROOM));
    }

    @Test
    void badTokenMessageSaysInvalidToken() throws Exception {
        TestClient client = connectAndSkipWelcome();
        client.send(subscribe("x", TOPIC, OWN_ROOM, "nope", "apikey"));
        assertEquals("invalid token", client.next().path("data").path("message").asText());
    }

    @Test
    void publishReachesOnlySubscribers() throws Exception {
        TestClient subscriber = connectSubscribed();
        TestClient bystander = connectAndSkipWelcome();

        String id = emulator.publish(TOPIC, OWN_ROOM, "{\"type\":\"follow\",\"amount\":1.50}");
        String raw = subscriber.nextRaw();
        assertTrue(raw.endsWith(",\"data\":{\"type\":\"follow\",\"amount\":1.50}}"), raw);
        JsonNode message = JSON.readTree(raw);
        assertEquals("message", message.path("type").asText());
        assertEquals(id, message.path("id").asText());
        assertEquals(TOPIC, message.path("topic").asText());
        assertEquals(OWN_ROOM, message.path("room").asText());

        emulator.setOmitRoomInNotifications(true);
        emulator.publishWithId(id, Instant.now(), TOPIC, OWN_ROOM, "{}");
        JsonNode duplicate = subscriber.next();
        assertEquals(id, duplicate.path("id").asText());
        assertFalse(duplicate.has("room"));

        emulator.publish(TOPIC, "another-room", "{}");
        assertNull(bystander.poll(Duration.ofMillis(100)));
        assertEquals(3, emulator.publishCount());
        assertEquals(2, emulator.deliveredCount());
        assertEquals(2, emulator.deliveredCount(id));
    }

    @Test
    void preEncodedFramesReachOnlySubscribersAsSeparateMessages() throws Exception {
        TestClient subscriber = connectSubscribed();
        TestClient bystander = connectAndSkipWelcome();
        String first = "{\"id\":\"a\",\"type\":\"message\",\"topic\":\"" + TOPIC + "\",\"data\":{}}";
        String second = "{\"id\":\"b\",\"type\":\"message\",\"topic\":\"" + TOPIC + "\",\"data\":{\"n\":2}}";
        java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
        for (String text : List.of(first, second)) {
            byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            batch.write(0x81);
            batch.write(payload.length);
            batch.write(payload);
        }

        List<java.nio.ByteBuffer> handed = emulator.publishPreEncoded(TOPIC, OWN_ROOM,
                java.nio.ByteBuffer.wrap(batch.toByteArray()), 2);

        assertEquals(1, handed.size());
        assertEquals(first, subscriber.nextRaw());
        assertEquals(second, subscriber.nextRaw());
        assertNull(bystander.poll(Duration.ofMillis(100)));
        assertFalse(emulator.stillQueued(handed.get(0)));
        assertEquals(2, emulator.publishCount());
        assertEquals(2, emulator.deliveredCount());
    }

    @Test
    void outboundQueueGrowsWhileTheClientStopsReadingAndDrainsAfter() throws Exception {
        TestClient client = connectSubscribed();
        // The library takes a frame off the queue only after writing it, so the response may still count.
        assertEquals(0, awaitQueueDrained());

        client.reading.set(false);
        try {
            // Far more than loopback socket buffers hold, so the rest must wait in the emulator's queue.
            String data = "{\"filler\":\"" + "x".repeat(16_000) + "\"}";
            for (int i = 0; i < 4_000; i++) {
                emulator.publish(TOPIC, OWN_ROOM, data);
            }
            assertTrue(emulator.outboundQueuedFrames() > 0);
        } finally {
            // A parked reader would also keep the client from closing after a failure.
            client.resumeReading();
        }
        assertEquals(0, awaitQueueDrained());
    }

    @Test
    void failNextSubscribesFailsThenSucceeds() throws Exception {
        emulator.failNextSubscribes(TOPIC, OWN_ROOM, "err_internal_error", 1);
        emulator.failSubscriptions("channel.tips", OWN_ROOM, "rate_limit_exceeded");
        TestClient client = connectAndSkipWelcome();

        client.send(subscribe("1", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertError(client.next(), "1", "err_internal_error");
        client.send(subscribe("2", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertFalse(client.next().has("error"));
        client.send(subscribe("3", "channel.tips", OWN_ROOM, TOKEN, "jwt"));
        assertError(client.next(), null, "rate_limit_exceeded");
    }

    @Test
    void enforcedRateLimitAnswersWithoutNonceAfterTheBurst() throws Exception {
        emulator.setRateLimit(true);
        TestClient client = connectAndSkipWelcome();
        int sent = 130;
        for (int i = 0; i < sent; i++) {
            // A room each: a repeat of one pair would be refused for that, not for the rate.
            client.send(subscribe("r-" + i, TOPIC, "room-" + i, TOKEN, "jwt"));
        }
        int limited = 0;
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < sent; i++) {
            JsonNode response = client.next();
            if ("rate_limit_exceeded".equals(response.path("error").asText())) {
                assertFalse(response.has("nonce"), response.toString());
                limited++;
            } else {
                nonces.add(response.path("nonce").asText());
            }
        }
        // 100 burst tokens, plus at most a couple refilled while the loop ran.
        assertTrue(limited >= 20, "limited " + limited);
        assertEquals(sent - limited, nonces.size());
        assertEquals(limited, emulator.rateLimitedCount());
    }

    @Test
    void reconnectTokenRestoresSubscriptionsOnce() throws Exception {
        TestClient first = connectSubscribed();

        emulator.sendReconnectToAll();
        JsonNode notice = first.next();
        assertEquals("reconnect", notice.path("type").asText());
        String token = notice.path("data").path("reconnect_token").asText();
        assertTrue(token.startsWith("eyJ"), token);
        assertEquals(CloseFrame.GOING_AWAY, first.awaitClose());
        assertTrue(emulator.awaitConnections(0, WAIT));

        TestClient second = connect(URI.create(emulator.uri() + "/?reconnect_token=" + token));
        assertEquals("welcome", second.next().path("type").asText());
        assertTrue(emulator.awaitSubscribers(TOPIC, OWN_ROOM, 1, WAIT));
        String id = emulator.publish(TOPIC, OWN_ROOM, "{}");
        assertEquals(id, second.next().path("id").asText());
        assertEquals(1, emulator.subscribeCommandCount());
        assertEquals(1, emulator.restoredReconnectCount());

        TestClient reused = new TestClient(URI.create(emulator.uri() + "/?reconnect_token=" + token));
        clients.add(reused);
        // connectBlocking may already report "not open": the server closes right after the upgrade.
        reused.connectBlocking(2, TimeUnit.SECONDS);
        assertEquals(AstroEmulator.INVALID_RECONNECT_TOKEN_CLOSE_CODE, reused.awaitClose());
        assertEquals(1, emulator.rejectedReconnectCount());
    }

    @Test
    void droppedConnectionGetsNoCloseFrame() throws Exception {
        TestClient client = connectAndSkipWelcome();
        emulator.dropAllConnections();
        // 1006 is what a client reports when the TCP connection ended without a close frame.
        assertEquals(CloseFrame.ABNORMAL_CLOSE, client.awaitClose());
        assertTrue(client.closedRemotely);
        assertEquals(0, emulator.connectionCount());
    }

    @Test
    void refusedHandshakeIsAPlainHttpError() throws Exception {
        emulator.refuseHandshakes(429, 7, 1);
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 429 Too Many Requests", in.readLine());
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            assertTrue(headers.contains("Retry-After: 7"), headers.toString());
            assertFalse(headers.stream().anyMatch(h -> h.startsWith("Sec-WebSocket-Accept")));
        }
        assertEquals(1, emulator.refusedHandshakeCount());
        assertEquals(0, emulator.connectionCount());

        // The refusal was for one handshake only.
        assertEquals("welcome", connect(emulator.uri()).next().path("type").asText());
    }

    @Test
    void javaWebSocketClientSeesTheRefusalStatusOnlyInTheCloseReason() throws Exception {
        emulator.refuseHandshakes(502, null, 1);
        TestClient client = new TestClient(emulator.uri());
        clients.add(client);
        assertFalse(client.connectBlocking(2, TimeUnit.SECONDS));
        assertEquals(CloseFrame.PROTOCOL_ERROR, client.awaitClose());
        assertTrue(client.closeReason.contains("502"), client.closeReason);
    }

    @Test
    void missingPongsGetTheClientDropped() throws Exception {
        TestClient client = connectAndSkipWelcome();
        client.answerPings = false;
        emulator.setHeartbeat(Duration.ofMillis(50), Duration.ofMillis(200));
        assertEquals(CloseFrame.ABNORMAL_CLOSE, client.awaitClose());
        assertEquals(0, client.pings.getCount());
    }

    @Test
    void startingOnABusyPortFails() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> AstroEmulator.start(emulator.port()));
        assertTrue(e.getMessage().contains(Integer.toString(emulator.port())));
    }

    @Test
    void silentGatewaySendsNothing() throws Exception {
        TestClient client = connectSubscribed();
        emulator.setSilent(true);
        emulator.publish(TOPIC, OWN_ROOM, "{}");
        client.send(subscribe("t", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertNull(client.poll(Duration.ofMillis(150)));
        assertEquals(0, emulator.deliveredCount());
        assertEquals(2, emulator.receivedCommands().size());
    }

    @Test
    void heartbeatSendsPings() throws Exception {
        TestClient client = connectAndSkipWelcome();
        emulator.setHeartbeat(Duration.ofMillis(50), Duration.ofSeconds(5));
        assertTrue(client.pings.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void closeLeavesNoServerThreads() throws Exception {
        connectAndSkipWelcome();
        emulator.setPingIntervalSeconds(30);
        emulator.close();
        List<String> leftovers = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("WebSocketSelector-") || n.startsWith("WebSocketWorker-")
                        || n.startsWith("astro-emulator"))
                .toList();
        assertEquals(List.of(), leftovers);
    }

    private int awaitQueueDrained() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (emulator.outboundQueuedFrames() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return emulator.outboundQueuedFrames();
    }

    private TestClient connectAndSkipWelcome() throws Exception {
        TestClient client = connect(emulator.uri());
        assertEquals("welcome", client.next().path("type").asText());
        return client;
    }

    /** A client subscribed to {@code TOPIC} in {@code OWN_ROOM}, its answer read. */
    private TestClient connectSubscribed() throws Exception {
        TestClient client = connectAndSkipWelcome();
        client.send(subscribe("s", TOPIC, OWN_ROOM, TOKEN, "jwt"));
        assertFalse(client.next().has("error"));
        assertTrue(emulator.awaitSubscribers(TOPIC, OWN_ROOM, 1, WAIT));
        return client;
    }

    private TestClient connect(URI uri) throws InterruptedException {
        TestClient client = new TestClient(uri);
        clients.add(client);
        assertTrue(client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS), "connect to " + uri);
        return client;
    }

    private static String subscribe(String nonce, String topic, String room, String token,
            String tokenType) {
        return JSON.createObjectNode()
                .put("type", "subscribe")
                .put("nonce", nonce)
                .set("data", JSON.createObjectNode()
                        .put("topic", topic).put("room", room).put("token", token)
                        .put("token_type", tokenType))
                .toString();
    }

    private static String unsubscribe(String nonce, String topic, String room) {
        return JSON.createObjectNode()
                .put("type", "unsubscribe")
                .put("nonce", nonce)
                .set("data", JSON.createObjectNode().put("topic", topic).put("room", room))
                .toString();
    }

    /** One of the gateway documents' JSON examples, verbatim (see astro-docs/README.md). */
    private static String docText(String name) throws IOException {
        try (InputStream in = AstroEmulatorTest.class.getResourceAsStream("/astro-docs/" + name)) {
            assertNotNull(in, "no document example " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode doc(String name) throws IOException {
        return JSON.readTree(docText(name));
    }

    /**
     * Asserts that a frame is the document's example field for field, in the same order, but for its
     * own fresh id (a ULID) and timestamp (whole seconds, UTC).
     */
    private static void assertMatchesDocument(String name, String frame) throws IOException {
        JsonNode actual = JSON.readTree(frame);
        String id = actual.path("id").asText();
        String ts = actual.path("ts").asText();
        assertEquals(26, id.length(), frame);
        assertEquals(Instant.parse(ts).truncatedTo(ChronoUnit.SECONDS).toString(), ts, frame);
        ObjectNode expected = (ObjectNode) doc(name);
        expected.put("id", id).put("ts", ts);
        assertEquals(expected.toString(), actual.toString());
    }

    private static void assertError(JsonNode response, String nonce, String code) {
        assertEquals("response", response.path("type").asText());
        assertEquals(code, response.path("error").asText(), response.toString());
        if (nonce == null) {
            assertFalse(response.has("nonce"), response.toString());
        } else {
            assertEquals(nonce, response.path("nonce").asText());
        }
        assertTrue(response.path("data").path("message").isTextual());
    }

    /** A plain Java-WebSocket client that queues what it receives. */
    private static final class TestClient extends WebSocketClient {

        private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch pings = new CountDownLatch(1);
        private final AtomicInteger closeCode = new AtomicInteger();
        volatile boolean closedRemotely;
        volatile String closeReason;
        volatile boolean answerPings = true;
        /** While false, the reader thread parks in {@link #onMessage} and the socket backs up. */
        final AtomicBoolean reading = new AtomicBoolean(true);
        private final Object readGate = new Object();

        TestClient(URI uri) {
            super(uri);
            // The client must not ping on its own; the tests look at the server's behaviour.
            setConnectionLostTimeout(0);
        }

        JsonNode next() throws Exception {
            return JSON.readTree(nextRaw());
        }

        String nextRaw() throws InterruptedException {
            String message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + WAIT);
            return message;
        }

        String poll(Duration timeout) throws InterruptedException {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        int awaitClose() throws InterruptedException {
            assertTrue(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "not closed within " + WAIT);
            return closeCode.get();
        }

        void resumeReading() {
            synchronized (readGate) {
                reading.set(true);
                readGate.notifyAll();
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            synchronized (readGate) {
                while (!reading.get()) {
                    try {
                        readGate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            received.add(message);
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata f) {
            pings.countDown();
            if (answerPings) {
                super.onWebsocketPing(conn, f);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCode.set(code);
            closedRemotely = remote;
            closeReason = reason;
            closed.countDown();
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
