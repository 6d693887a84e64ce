package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.records.NotificationRecords;
import io.github.kafkaconnectastro.records.PayloadReading;
import io.github.kafkaconnectastro.offsets.SourceOffsets;
import io.github.kafkaconnectastro.records.TopicNamer;
import io.github.kafkaconnectastro.records.ValueFormat;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connect's ceiling: the {@link CeilingSourceConnector} with the connector's own converters and producer settings,
 * fed records built by the connector's own mapping from the benchmark's frames, before the round and off the clock.
 */
final class Ceiling implements AutoCloseable {

    static final String NAME = "ceiling";
    private static final int POOL = 20_000;

    private final BenchCluster cluster;
    private final List<SourceRecord> pool;
    private final int batch;
    private final KafkaReader reader;

    private Ceiling(BenchCluster cluster, List<SourceRecord> pool, int batch, KafkaReader reader) {
        this.cluster = cluster;
        this.pool = pool;
        this.batch = batch;
        this.reader = reader;
    }

    /**
     * @param connectorConfig the measured connector's configuration: its converters, producer overrides, value
     *                        format and poll batch size are the ceiling's too
     */
    static Ceiling start(BenchCluster cluster, Map<String, String> connectorConfig, String room) throws Exception {
        String topic = "bench-" + NAME;
        cluster.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        Map<String, String> config = new HashMap<>();
        connectorConfig.forEach((key, value) -> {
            if (key.startsWith("key.converter") || key.startsWith("value.converter")
                    || key.startsWith("header.converter") || key.startsWith("producer.override.")) {
                config.put(key, value);
            }
        });
        config.put("connector.class", CeilingSourceConnector.class.getName());
        config.put("tasks.max", "1");
        cluster.connect.configureConnector(NAME, config);
        cluster.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(NAME, 1, "the ceiling did not start");
        AstroSourceConnectorConfig settings = new AstroSourceConnectorConfig(connectorConfig);
        return new Ceiling(cluster, pool(topic, room, settings), settings.pollBatchMaxRecords(),
                new KafkaReader(cluster.connect.kafka().bootstrapServers(), topic));
    }

    /** The measured connector's records for {@link #POOL} of the benchmark's frames, mapped as its task maps them. */
    private static List<SourceRecord> pool(String topic, String room, AstroSourceConnectorConfig settings) {
        ValueFormat format = settings.valueFormat();
        // The codec as the task's session has it (AstroSourceConnectorConfig.sessionSettingsBuilder): the payload
        // read into the record value as the frame is decoded.
        AstroCodec codec = new AstroCodec(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue(),
                new PayloadReading(format, settings.includePersonalData()));
        NotificationRecords records = new NotificationRecords(new TopicNamer(topic), format,
                settings.includePersonalData(), (pair, reason) -> {
                    throw new IllegalStateException("the benchmark's payload does not fit its schema: " + reason);
                });
        Subscription subscription = new Subscription(BenchPayload.TOPIC, room);
        List<SourceRecord> pool = new ArrayList<>(POOL);
        for (int seq = 0; seq < POOL; seq++) {
            String id = Ulid.nextId();
            Instant ts = Instant.now();
            String frame = AstroEmulator.notificationFrame(id, ts, BenchPayload.TOPIC, room,
                    BenchPayload.data(room, seq, BenchPayload.nanos()));
            AstroMessage.Notification n = (AstroMessage.Notification) codec.decode(frame);
            pool.add(records.toRecord(Delivery.routed(subscription, room, n),
                    SourceOffsets.offset(n.id(), n.ts().toString(), n.id())));
        }
        return pool;
    }

    /** One round: {@code count} records through Connect; returns the nanoseconds from first to last at the reader. */
    long round(long count, Duration timeout) throws InterruptedException {
        reader.startWindow();
        CeilingSourceTask.emit(pool, count, batch);
        if (!reader.awaitWindow(count, timeout)) {
            throw new IllegalStateException("only " + reader.windowCount() + " of " + count
                    + " ceiling records reached Kafka in time");
        }
        return reader.windowNanos();
    }

    @Override
    public void close() throws Exception {
        cluster.connect.deleteConnector(NAME);
        reader.close();
    }
}
