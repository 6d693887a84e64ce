package io.github.kafkaconnectastro.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that sends one text message without end: 512 MiB of continuation frames after a frame without FIN.
 * The task must cut it off at the hard ceiling (four times {@code astro.frame.max.bytes}) instead of buffering it,
 * stay RUNNING, and deliver what the gateway publishes after the reconnect. The worker runs in this JVM, with the
 * broker and the emulator, so a worker with a 256 MiB heap is this test run with {@code -Dit.heap=-Xmx256m}: it
 * passes so, where without the bound the worker's reader thread dies of {@code OutOfMemoryError} before 200 MiB.
 */
class EndlessMessageIT {

    private static final String TOPIC = "channel.activities";
    private static final int MAX_FRAME_BYTES = 256 * 1024;
    private static final int CEILING = 4 * MAX_FRAME_BYTES;
    private static final long STREAM_BYTES = 512L << 20;
    /** The emulator's send buffer and the task's receive buffer (tcp_wmem and tcp_rmem maxima: 4 and 32 MiB). */
    private static final long SOCKET_BUFFERS = 40L << 20;

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1).topicPerConnector();

    @Test
    void cutsAnEndlessFragmentedMessageOffAtTheCeilingStaysRunningAndDeliversWhatFollows() throws Exception {
        String connector = "it-endless";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "endless1");
        fixture.startConnector(connector, pairs, Map.of("astro.frame.max.bytes", Integer.toString(MAX_FRAME_BYTES)));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int handshakes = fixture.emulator.handshakeCount();
        long heapBefore = heapUsedAfterGc();

        long sent = fixture.emulator.streamEndlessMessageToAll(64 * 1024, STREAM_BYTES);

        assertTrue(sent < CEILING + SOCKET_BUFFERS, "the emulator sent " + sent + " bytes before the task closed");
        assertTrue(ConnectFixture.eventually(() -> fixture.emulator.handshakeCount() > handshakes, AWAIT),
                "the task did not reconnect");
        fixture.awaitSubscribed(pairs);
        assertEquals(1, metrics.counter("MalformedFramesByKind", "too_large"));
        assertEquals(1, metrics.counter("ReconnectsByCause", "frame_too_large"));
        assertEquals("RUNNING", fixture.status(connector).tasks().get(0).state());
        DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);
        long grown = heapUsedAfterGc() - heapBefore;
        assertTrue(grown < 64L << 20, "the heap kept " + grown + " bytes more after the stream");
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
