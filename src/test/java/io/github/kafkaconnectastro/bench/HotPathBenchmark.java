package io.github.kafkaconnectastro.bench;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.config.AstroReliabilityConfig;
import io.github.kafkaconnectastro.config.AstroOutputConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.offsets.Deduplicator;
import io.github.kafkaconnectastro.records.NotificationRecords;
import io.github.kafkaconnectastro.records.PayloadReading;
import io.github.kafkaconnectastro.records.TopicNamer;
import io.github.kafkaconnectastro.records.ValueFormat;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Micro-benchmarks of the connector's work per notification: decoding the frame and reading its payload into the
 * record value (on the socket's reader thread, {@link PayloadReading}), then, in {@code poll()}, dropping
 * duplicates and mapping it to a {@link SourceRecord}; and, for comparison, the worker's conversion of that
 * record's value to bytes, which runs on the task thread too. {@link #frameToRecord} is the whole of it, frame text
 * to record, whichever thread does which part: the figure to compare across versions (before the payload was
 * read once, {@link #decode} kept it as text and {@link #toRecord} parsed it).
 *
 * <p>The frames are the end-to-end benchmark's, as the emulator writes them: {@value #FRAMES} with distinct,
 * increasing ids, cycled. Each time they come round the deduplicator starts afresh, so that every id is new and
 * the pair's highest, as on a live socket: the path measured is the common one, a new id remembered and the
 * pair's next offset made (its text is written only when Connect reads it, so not here). It remembers
 * {@code dedup.cache.size} (1,000 by default) ids per pair, so the last ids of each round also evict the oldest.
 * Run with {@code bench/run.sh --jmh [--quick]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBenchmark {

    private static final int FRAMES = 1_024;
    private static final String ROOM = "bench-conn";

    private AstroCodec codec;
    /** astro.value.format: the payload as a struct, or as JSON text. */
    /** The Confluent wire format's magic byte and a schema id. */
    private static final byte[] AVRO_HEADER = {0, 0, 0, 0, 1};

    @Param({"typed", "raw"})
    public String valueFormat;

    private Deduplicator deduplicator;
    private NotificationRecords records;
    private JsonConverter converter;
    private AvroData avroData;
    private final ByteArrayOutputStream avroOut = new ByteArrayOutputStream(1024);
    private BinaryEncoder avroEncoder;
    private Subscription subscription;
    private String[] frames;
    private Delivery[] deliveries;
    private SourceRecord[] mapped;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        codec = new AstroCodec(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue(),
                new PayloadReading(ValueFormat.fromConfig(valueFormat), false));
        records = new NotificationRecords(new TopicNamer(AstroOutputConfig.TOPIC_NAME_PATTERN.defaultValue()),
                ValueFormat.fromConfig(valueFormat), false, (pair, reason) -> {
                    throw new IllegalStateException("the bench payload does not fit its schema: " + reason);
                });
        converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        avroData = new AvroData(100);
        subscription = new Subscription(BenchPayload.TOPIC, ROOM);
        frames = new String[FRAMES];
        deliveries = new Delivery[FRAMES];
        mapped = new SourceRecord[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = AstroEmulator.notificationFrame(Ulid.nextId(), Instant.now(), BenchPayload.TOPIC, ROOM,
                    BenchPayload.data(ROOM, i, BenchPayload.nanos()));
            deliveries[i] = Delivery.routed(subscription, ROOM, notification(frames[i]));
            AstroMessage.Notification notification = deliveries[i].notification();
            mapped[i] = records.toRecord(deliveries[i],
                    deduplicator(i).accept(subscription, notification.id(), notification.ts()));
            if (deliveries[i].notification().payload() == null) {
                throw new IllegalStateException("the codec did not read the payload");
            }
        }
    }

    /**
     * The reader thread's part: frame text to decoded notification, its payload read into the record value in the
     * same pass, then routed (the value gets the notification's own fields).
     */
    @Benchmark
    public Delivery decodeAndRoute() {
        return Delivery.routed(subscription, ROOM, notification(frames[nextIndex()]));
    }

    /** Frame text to decoded notification, its payload read into the record value in the same pass. */
    @Benchmark
    public AstroMessage decode() {
        return codec.decode(frames[nextIndex()]);
    }

    /**
     * The duplicate check of {@code poll()}, for a new id, giving the pair's next offset: as for a pair whose gaps
     * are repaired (activities and tips, by default), which also keeps the event's id and creation time.
     */
    @Benchmark
    public Map<String, ?> deduplicate() {
        int index = nextIndex();
        return accept(index, deliveries[index]);
    }

    private Map<String, ?> accept(int index, Delivery delivery) {
        AstroMessage.Notification notification = delivery.notification();
        return deduplicator(index).accept(subscription, notification.id(), notification.ts(), notification.eventId(),
                delivery.createdAtMs());
    }

    /**
     * The task thread's mapping of a routed delivery to its {@link SourceRecord}: headers, partition map and the
     * value the reader made (the offset is given). No JSON work.
     */
    @Benchmark
    public SourceRecord toRecord() {
        int index = nextIndex();
        return records.toRecord(deliveries[index], mapped[index].sourceOffset());
    }

    /**
     * The whole of the connector's per-notification work, frame text to record: decoded and read, routed, the
     * duplicate check, the record.
     */
    @Benchmark
    public SourceRecord frameToRecord() {
        int index = nextIndex();
        AstroMessage.Notification notification = notification(frames[index]);
        Delivery delivery = Delivery.routed(subscription, notification.room(), notification);
        Map<String, ?> offset = accept(index, delivery);
        if (offset == null) {
            return null;
        }
        return records.toRecord(delivery, offset);
    }

    /** Not the connector's code: the worker's JsonConverter turning a record's value into bytes. */
    @Benchmark
    public byte[] convertValue() {
        SourceRecord record = mapped[nextIndex()];
        return converter.fromConnectData(record.topic(), record.valueSchema(), record.value());
    }

    /**
     * Not the connector's code: what an Avro converter does per record once its registry lookup is cached (the
     * first record of a schema): the Connect value to an Avro record (Apicurio's AvroData, a fork of Confluent's),
     * then Avro's binary encoding after the Confluent wire format's five bytes.
     */
    @Benchmark
    public byte[] convertValueAvro() throws IOException {
        SourceRecord record = mapped[nextIndex()];
        Object avro = avroData.fromConnectData(record.valueSchema(), record.value());
        org.apache.avro.Schema schema = avroData.fromConnectSchema(record.valueSchema());
        avroOut.reset();
        avroOut.write(AVRO_HEADER);
        avroEncoder = EncoderFactory.get().binaryEncoder(avroOut, avroEncoder);
        new GenericDatumWriter<>(schema).write(avro, avroEncoder);
        avroEncoder.flush();
        return avroOut.toByteArray();
    }

    private AstroMessage.Notification notification(String frame) {
        return (AstroMessage.Notification) codec.decode(frame);
    }

    /** The deduplicator, afresh when the frames start again. */
    private Deduplicator deduplicator(int index) {
        if (index == 0) {
            deduplicator = new Deduplicator(AstroReliabilityConfig.DEDUP_CACHE_SIZE.defaultValue(),
                    AstroReliabilityConfig.DEDUP_CLOCK_SKEW.defaultValue().toMillis());
        }
        return deduplicator;
    }

    private int nextIndex() {
        int index = next;
        next = (index + 1) % FRAMES;
        return index;
    }
}
