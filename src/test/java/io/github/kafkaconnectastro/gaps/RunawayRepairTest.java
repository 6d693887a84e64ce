package io.github.kafkaconnectastro.gaps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.kafkaconnectastro.metrics.AstroTaskMetrics;
import io.github.kafkaconnectastro.metrics.BufferGauges;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REST API that misbehaves on one channel: the repair of that pair stops with a WARN and is counted, and the
 * next pair's repair, on a channel that behaves, goes on.
 */
class RunawayRepairTest {

    private static final Subscription RUNAWAY = Subscription.parse("channel.activities:runaway");
    private static final Subscription GOOD = Subscription.parse("channel.tips:good");
    private static final Subscription OWN = new Subscription("channel.tips", "");
    private static final long CREATED = 1_700_000_000_000L;
    private static final RepairBounds SMALL = new RepairBounds(5, 1_000, 64 * 1024, Duration.ofSeconds(1));

    private final HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AstroTaskMetrics metrics = new AstroTaskMetrics(
            new BufferGauges(() -> 10, () -> 10_000, () -> 0, () -> 0), List.of(RUNAWAY, GOOD, OWN));
    private volatile Handler runaway;
    private GapRepairer repairer;

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    RunawayRepairTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            try {
                if (path.equals("/activities/runaway")) {
                    runaway.handle(exchange);
                } else if (path.equals("/tips/good")) {
                    send(exchange, "{\"docs\":[" + doc(CREATED) + "],\"total\":1}");
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } catch (InterruptedException | IOException e) {
                // The client gave up on this answer: what the test checks.
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (repairer != null) {
            repairer.close();
        }
        server.stop(0);
    }

    private String doc(long createdAtMs) {
        return "{\"_id\":\"id" + ids.incrementAndGet() + "\",\"createdAt\":\"" + Instant.ofEpochMilli(createdAtMs)
                + "\",\"type\":\"tip\",\"data\":{}}";
    }

    private String docs(int count, long createdAtMs) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(doc(createdAtMs));
        }
        return out.append(']').toString();
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void start(RepairBounds bounds) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        BackfillSettings settings = new BackfillSettings(true, base, () -> new Password("t"), TokenType.JWT,
                Duration.ZERO, Duration.ofDays(100_000), 10, Duration.ZERO, 1_000);
        repairer = new GapRepairer(settings, metrics, System::currentTimeMillis, bounds);
        repairer.start("test-runaway");
    }

    /** The runaway pair's gap, then a good pair's: the second must still be repaired. */
    private void repairBoth() {
        repairer.gapClosed(RUNAWAY, CREATED - 1_000, CREATED + 1_000);
        repairer.gapClosed(GOOD, CREATED - 1_000, CREATED + 1_000);
    }

    private void assertStoppedAndTheOtherPairRepaired() throws InterruptedException {
        assertTrue(ConnectTestWait.until(() -> metrics.subscription(GOOD).getRepairedGaps() == 1),
                "the other pair's repair goes on");
        assertEquals(1, metrics.subscription(RUNAWAY).getRunawayRepairs());
        assertEquals(1, metrics.getRestErrorsByStatus().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, metrics.subscription(RUNAWAY).getUnrepairedGaps());
        assertEquals(0, metrics.subscription(RUNAWAY).getRepairedGaps());
    }

    private int runawayRequests() {
        return requests.getOrDefault("/activities/runaway", new AtomicInteger()).get();
    }

    @Test
    void endlessFreshIdsStopAtThePageCap() throws Exception {
        runaway = exchange -> send(exchange, docs(100, CREATED));
        start(SMALL);

        repairBoth();

        assertStoppedAndTheOtherPairRepaired();
        assertEquals(5, runawayRequests(), "no page beyond the cap");
    }

    @Test
    void anEndpointIgnoringTheWindowStopsAtThePageCap() throws Exception {
        runaway = exchange -> send(exchange, docs(100, CREATED - 86_400_000L));
        start(SMALL);

        repairBoth();

        assertStoppedAndTheOtherPairRepaired();
        assertEquals(5, runawayRequests());
    }

    @Test
    void pagesBeyondTheLimitStopAtTheSeenIdsCap() throws Exception {
        runaway = exchange -> send(exchange, docs(400, CREATED));
        start(new RepairBounds(1_000, 1_000, 1 << 20, Duration.ofSeconds(5)));

        repairBoth();

        assertStoppedAndTheOtherPairRepaired();
        assertEquals(3, runawayRequests(), "1,200 ids passed the cap of 1,000 at the third page");
    }

    @Test
    void aBodyOverTheByteCapIsNotReadToItsEnd() throws Exception {
        runaway = exchange -> send(exchange, "[" + doc(CREATED).replace("{}", "{\"pad\":\""
                + "x".repeat(1 << 20) + "\"}") + "]");
        start(SMALL);

        repairBoth();

        assertStoppedAndTheOtherPairRepaired();
        assertEquals(1, runawayRequests(), "not retried");
    }

    @Test
    void aTrickledBodyIsCutAtTheReadDeadline() throws Exception {
        runaway = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write('[');
            for (int i = 0; i < 600; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(100);
            }
        };
        start(SMALL);
        long started = System.nanoTime();

        repairBoth();

        assertStoppedAndTheOtherPairRepaired();
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(), "cut at the deadline");
        assertEquals(1, runawayRequests(), "not retried");
    }

    @Test
    void aLearntRoomThatIsNoRoomIsNotUsedAndTheRepairThreadGoesOn() throws Exception {
        start(SMALL);
        for (String bad : List.of("a b", "good?x=", "good#", "../activities/runaway")) {
            repairer.confirmedRoom(OWN, bad);
        }
        repairer.gapClosed(OWN, CREATED - 1_000, CREATED + 1_000);
        repairer.gapClosed(GOOD, CREATED - 1_000, CREATED + 1_000);

        assertTrue(ConnectTestWait.until(() -> metrics.subscription(GOOD).getRepairedGaps() == 1));
        assertEquals(1, metrics.subscription(OWN).getUnrepairedGaps(), "no channel id known");
        assertEquals(Map.of("/tips/good", 1), Map.copyOf(requests.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
    }
}
