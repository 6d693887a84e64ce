package io.github.kafkaconnectastro.bench;

import org.apache.kafka.clients.admin.NewTopic;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The string ceiling: the benchmark's frames carried as opaque strings by Kafka's own {@code FileStreamSource}
 * through the same worker, with the worker's converters ({@code JsonConverter}, {@code schemas.enable=false}) and
 * the connector's defaults ({@code batch.size} 2,000 lines), as a new user comparing websocket connectors would set it
 * up. Each round writes its frames, one per line, to a file before the round (off the clock), starts a fresh
 * connector (a new name, so no offsets) on the file's path before the file is there, and moves the file into place
 * once the task runs; the rate is first to last record at the consumer, as for the other rounds.
 */
final class StringCeiling implements AutoCloseable {

    static final String CONNECTOR_CLASS = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    private static final String TOPIC = "bench-strings";

    private final BenchCluster cluster;
    private final Map<String, String> producerOverrides;
    private final PreEncodedFrames frames;
    private final Path dir;
    private final KafkaReader reader;
    private long nextSeq;
    private int rounds;

    private StringCeiling(BenchCluster cluster, Map<String, String> producerOverrides, PreEncodedFrames frames,
                          Path dir, KafkaReader reader) {
        this.cluster = cluster;
        this.producerOverrides = producerOverrides;
        this.frames = frames;
        this.dir = dir;
        this.reader = reader;
    }

    /**
     * @param connectorConfig the measured connector's configuration: only its {@code producer.override.*} settings
     *                        are taken, so that a producer setting under test applies to every round
     * @param frames          the frames the connector's rounds send, whose text (without websocket framing) the
     *                        file holds
     */
    static StringCeiling start(BenchCluster cluster, Map<String, String> connectorConfig, PreEncodedFrames frames)
            throws Exception {
        cluster.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        Map<String, String> overrides = new HashMap<>();
        connectorConfig.forEach((key, value) -> {
            if (key.startsWith("producer.override.")) {
                overrides.put(key, value);
            }
        });
        Path dir = Files.createDirectories(Path.of("target", "bench-strings").toAbsolutePath());
        return new StringCeiling(cluster, overrides, frames, dir,
                new KafkaReader(cluster.connect.kafka().bootstrapServers(), TOPIC));
    }

    /** One round of {@code count} frames; a round of the same shape as the other phases'. */
    ThroughputPhase.Round round(long count) throws Exception {
        int round = ++rounds;
        long from = nextSeq;
        Path staged = dir.resolve("frames-" + round + ".staged");
        Path file = dir.resolve("frames-" + round + ".txt");
        write(staged, count);
        String name = "strings-" + round;
        Map<String, String> config = new HashMap<>(producerOverrides);
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", "1");
        config.put("file", file.toString());
        config.put("topic", TOPIC);
        cluster.connect.configureConnector(name, config);
        try {
            cluster.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1,
                    "the string ceiling's connector did not start");
            reader.startWindow();
            CpuBreakdown before = CpuBreakdown.take();
            // The task finds the file on its next poll (it waits a second between looks while the file is missing).
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            if (!reader.awaitWindow(count, ThroughputPhase.timeout(count))) {
                throw new IllegalStateException("only " + reader.windowCount() + " of " + count
                        + " string-ceiling records reached Kafka in time");
            }
            CpuBreakdown after = CpuBreakdown.take();
            return new ThroughputPhase.Round(count, reader.windowNanos(), 0, 0, reader.missing(from, from + count),
                    Map.of(), after.since(before), after.allocatedSince(before));
        } finally {
            cluster.connect.deleteConnector(name);
            Files.deleteIfExists(staged);
            Files.deleteIfExists(file);
        }
    }

    /** Records the consumer saw twice since the start (each round's frames have sequence numbers of their own). */
    long duplicates() {
        return reader.duplicates();
    }

    private void write(Path path, long count) throws IOException {
        int size = frames.frameBytes();
        int header = frames.headerBytes();
        byte[] batch = new byte[Publisher.BATCH_FRAMES * size];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            long left = count;
            while (left > 0) {
                int n = (int) Math.min(Publisher.BATCH_FRAMES, left);
                PreEncodedFrames.Clock clock = PreEncodedFrames.clock();
                for (int i = 0; i < n; i++) {
                    frames.write(batch, i * size, nextSeq++, clock);
                }
                for (int i = 0; i < n; i++) {
                    out.write(batch, i * size + header, size - header);
                    out.write('\n');
                }
                left -= n;
            }
        }
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
