package io.github.kafkaconnectastro.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The quick start's window onto the pipeline: creates the connector through the Connect REST API, waits until it
 * and its tasks run, then prints every record that lands in Kafka (timestamp, topic, key, value) with a progress
 * line every few seconds, until stopped or for a given time. {@code quickstart.sh} runs it with the quick start's
 * Kafka jars on the class path.
 *
 * <pre>
 * --rest URL            the worker's REST API (default http://127.0.0.1:18083/)
 * --bootstrap HOST:PORT the broker (default 127.0.0.1:19092)
 * --connector FILE      the connector to create: {"name": ..., "config": {...}} (required)
 * --topics REGEX        the topics to show (default astro\..*)
 * --duration S          show records for S seconds, then exit; 0 = until stopped (default 0)
 * --until-shown TOPICS  exit before then once a record of each of these comma-separated topics has been shown
 * --startup-timeout S   how long the worker and the connector may take to come up (default 180)
 * --value-width N       characters of each value shown, 0 = all (default 240)
 * </pre>
 *
 * <p>Exit status: 0 records arrived; 2 bad usage; 3 the connector could not be created or failed; 4 no record
 * arrived within the duration; 5 the worker's REST API did not come up.
 */
public final class QuickstartConsole {

    static final int OK = 0;
    static final int USAGE = 2;
    static final int CONNECTOR_FAILED = 3;
    static final int NO_RECORDS = 4;
    static final int WORKER_DOWN = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROGRESS_EVERY_MS = 5_000;
    private static final long RETRY_MS = 1_000;
    private static final long TOPIC_SCAN_EVERY_MS = 2_000;
    /** Fixed width, so that the columns line up. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Command-line settings. */
    record Options(URI rest, String bootstrap, Path connector, Pattern topics, long durationSeconds,
                   Set<String> untilShown, long startupTimeoutSeconds, int valueWidth) {

        static Options parse(String[] args) {
            URI rest = URI.create("http://127.0.0.1:18083/");
            String bootstrap = "127.0.0.1:19092";
            Path connector = null;
            Pattern topics = Pattern.compile("astro\\..*");
            long duration = 0;
            Set<String> untilShown = Set.of();
            long startupTimeout = 180;
            int valueWidth = 240;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--rest" -> rest = URI.create(value.endsWith("/") ? value : value + "/");
                    case "--bootstrap" -> bootstrap = value;
                    case "--connector" -> connector = Path.of(value);
                    case "--topics" -> topics = Pattern.compile(value);
                    case "--duration" -> duration = Long.parseLong(value);
                    case "--until-shown" -> untilShown = Set.of(value.split(","));
                    case "--startup-timeout" -> startupTimeout = Long.parseLong(value);
                    case "--value-width" -> valueWidth = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (connector == null) {
                throw new IllegalArgumentException("--connector FILE is required");
            }
            return new Options(rest, bootstrap, connector, topics, duration, untilShown, startupTimeout, valueWidth);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final ConnectRest rest;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;

    QuickstartConsole(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.rest = new ConnectRest(options.rest());
    }

    /**
     * Runs the console until it is done or the process is asked to stop.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        // Notifications carry names and chat in any script: print UTF-8 whatever the platform's default.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: QuickstartConsole --connector FILE [--rest URL] [--bootstrap HOST:PORT] "
                    + "[--topics REGEX] [--duration S] [--until-shown TOPICS] [--startup-timeout S] [--value-width N]");
            System.exit(USAGE);
            return;
        }
        QuickstartConsole console = new QuickstartConsole(options, out);
        Runtime.getRuntime().addShutdownHook(new Thread(console::stop, "quickstart-console-stop"));
        int status = console.run();
        // During shutdown (SIGTERM from quickstart.sh) System.exit would block for ever: just return.
        if (!console.stopping) {
            System.exit(status);
        }
    }

    int run() {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.startupTimeoutSeconds());
            if (!awaitWorker(deadline)) {
                return WORKER_DOWN;
            }
            JsonNode connector = JSON.readTree(Files.readString(options.connector()));
            String name = connector.path("name").asText();
            if (!createConnector(name, connector, deadline) || !awaitRunning(name, deadline)) {
                return CONNECTOR_FAILED;
            }
            return showRecords(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OK;
        } catch (IOException e) {
            out.println("== failed: " + e);
            return CONNECTOR_FAILED;
        } finally {
            finished.countDown();
        }
    }

    private void stop() {
        stopping = true;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            // Lets run() print its summary before the JVM halts.
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitWorker(long deadline) throws InterruptedException {
        out.println("== waiting for the Connect worker's REST API at " + options.rest());
        while (!stopping) {
            try {
                ConnectRest.Reply reply = rest.get("");
                if (reply.status() == 200) {
                    out.println("== Connect worker " + reply.json().path("version").asText() + " is up");
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet: the worker takes a few seconds to start.
            }
            if (System.nanoTime() > deadline) {
                out.println("== the Connect worker did not answer at " + options.rest() + " within "
                        + options.startupTimeoutSeconds() + " s");
                return false;
            }
            Thread.sleep(RETRY_MS);
        }
        return false;
    }

    /** Creates the connector, or updates its config when it exists; retries while the worker is still joining. */
    private boolean createConnector(String name, JsonNode connector, long deadline) throws InterruptedException {
        String lastProblem = "";
        while (!stopping && System.nanoTime() < deadline) {
            try {
                ConnectRest.Reply reply = rest.post("connectors", JSON.writeValueAsString(connector));
                if (reply.status() == 409 && reply.body().contains("already exists")) {
                    reply = rest.put("connectors/" + name + "/config", JSON.writeValueAsString(connector.get("config")));
                }
                if (reply.status() == 200 || reply.status() == 201) {
                    out.println("== created connector " + name + " from " + options.connector());
                    return true;
                }
                if (reply.status() == 400) {
                    out.println("== the worker refused connector " + name + ": " + reply.body());
                    return false;
                }
                // 409 while a rebalance is under way, 5xx while the worker is still joining its group.
                lastProblem = "HTTP " + reply.status() + " " + reply.body();
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            Thread.sleep(RETRY_MS);
        }
        out.println("== could not create connector " + name + ": " + lastProblem);
        return false;
    }

    private boolean awaitRunning(String name, long deadline) throws InterruptedException, IOException {
        ConnectorStatus status = null;
        while (!stopping && System.nanoTime() < deadline) {
            ConnectRest.Reply reply = rest.get("connectors/" + name + "/status");
            if (reply.status() == 200) {
                status = ConnectorStatus.of(reply.json());
                if (status.failed()) {
                    out.println("== connector " + name + " failed: " + status.reason());
                    return false;
                }
                if (status.running()) {
                    out.println("== " + name + ": " + status.summary());
                    return true;
                }
            }
            Thread.sleep(RETRY_MS);
        }
        out.println("== connector " + name + " is not running: " + (status == null ? "no status" : status.summary()));
        return false;
    }

    private int showRecords(String name) throws IOException, InterruptedException {
        out.println("== records in topics matching " + options.topics().pattern()
                + (options.durationSeconds() > 0 ? " for " + options.durationSeconds() + " s" : " until Ctrl-C")
                + " (timestamp, topic, key, value):");
        RecordTally tally = new RecordTally();
        long start = System.nanoTime();
        long end = options.durationSeconds() > 0 ? start + TimeUnit.SECONDS.toNanos(options.durationSeconds())
                : Long.MAX_VALUE;
        long nextProgress = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerProps())) {
            consumer = kafka;
            Set<TopicPartition> assigned = Set.of();
            long nextTopicScan = start;
            Set<String> notShownYet = new HashSet<>(options.untilShown());
            while (!stopping && System.nanoTime() < end
                    && (options.untilShown().isEmpty() || !notShownYet.isEmpty())) {
                if (System.nanoTime() >= nextTopicScan) {
                    nextTopicScan += TimeUnit.MILLISECONDS.toNanos(TOPIC_SCAN_EVERY_MS);
                    assigned = follow(kafka, assigned);
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(RETRY_MS);
                    continue;
                }
                for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                    out.println(format(record));
                    tally.add(record.topic(), record.key());
                    notShownYet.remove(record.topic());
                }
                if (System.nanoTime() >= nextProgress) {
                    nextProgress += TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
                    ConnectorStatus status = status(name);
                    out.println("== " + tally.describe(elapsedMillis(start)) + " | "
                            + (status == null ? "status unavailable" : status.summary()));
                    if (status != null && status.failed()) {
                        out.println("== connector " + name + " failed: " + status.reason());
                        return CONNECTOR_FAILED;
                    }
                }
            }
        } catch (WakeupException e) {
            // stop() woke the consumer: fall through to the summary.
        } finally {
            consumer = null;
        }
        out.println("== received " + tally.describe(elapsedMillis(start)));
        return tally.total() > 0 || stopping ? OK : NO_RECORDS;
    }

    /**
     * Assigns every partition of the matching topics, the new ones from their beginning. Assigned, not subscribed:
     * a consumer group would rebalance as the connector creates topics, and without committed offsets each
     * rebalance would read everything again.
     */
    private Set<TopicPartition> follow(KafkaConsumer<String, String> kafka, Set<TopicPartition> assigned) {
        Set<TopicPartition> matching = new HashSet<>();
        try {
            kafka.listTopics(Duration.ofSeconds(5)).forEach((topic, partitions) -> {
                if (options.topics().matcher(topic).matches()) {
                    partitions.forEach(p -> matching.add(new TopicPartition(p.topic(), p.partition())));
                }
            });
        } catch (TimeoutException e) {
            return assigned;
        }
        if (matching.equals(assigned)) {
            return assigned;
        }
        Set<TopicPartition> added = new HashSet<>(matching);
        added.removeAll(assigned);
        kafka.assign(matching);
        kafka.seekToBeginning(added);
        return matching;
    }

    private ConnectorStatus status(String name) throws InterruptedException {
        try {
            ConnectRest.Reply reply = rest.get("connectors/" + name + "/status");
            return reply.status() == 200 ? ConnectorStatus.of(reply.json()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Map<String, Object> consumerProps() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                ConsumerConfig.CLIENT_ID_CONFIG, "astro-quickstart-console",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Only records the connector committed: what a downstream consumer would see.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    }

    private String format(ConsumerRecord<String, String> record) {
        String value = record.value() == null ? "null" : record.value();
        int width = options.valueWidth();
        if (width > 0 && value.length() > width) {
            value = value.substring(0, width) + "…";
        }
        return String.format("%s  %-28s %-26s %s", TIMESTAMP.format(Instant.ofEpochMilli(record.timestamp())),
                record.topic(), record.key(), value);
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
