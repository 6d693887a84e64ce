package io.github.kafkaconnectastro.examples.tiptotals;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link TipTotalsTopology} until stopped (Ctrl-C):
 * {@code TipTotalsApp [streams.properties] [key=value ...]}, Kafka Streams settings from the file, then from the
 * arguments; {@code bootstrap.servers} and {@code application.id} are the ones a user usually sets.
 */
public final class TipTotalsApp {

    private static final Logger LOG = LoggerFactory.getLogger(TipTotalsApp.class);

    private TipTotalsApp() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config = streamsProperties(settings(args));
        KafkaStreams streams = new KafkaStreams(TipTotalsTopology.build(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stopping: a stream thread failed; the totals resume from the last commit after a restart.", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(30)), "shutdown"));
        LOG.info("Reading {} and {}, writing {} and {} ({} {})", TipTotalsTopology.TIPS_TOPIC,
                TipTotalsTopology.ACTIVITIES_TOPIC, TipTotalsTopology.TIP_TOTALS_TOPIC, TipTotalsTopology.FOLLOWS_TOPIC,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        streams.start();
        stopped.await();
        if (streams.state() == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }

    /**
     * The Kafka Streams configuration: the app's defaults, then {@code settings}, which may replace any of them.
     * A record whose value is not JSON is logged and skipped by {@link LogAndContinueExceptionHandler} and counted in
     * Streams' {@code dropped-records} metric; the default would stop the app at the first one.
     */
    public static Properties streamsProperties(Properties settings) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "astro-tip-totals");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        // A minute's results wait in the store's cache until a commit: one second keeps them close to the minute's
        // close instead of the 30 s default.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        config.putAll(settings);
        return config;
    }

    /** The settings in the arguments: a properties file, or {@code key=value}; later ones win. */
    static Properties settings(String[] args) throws IOException {
        Properties settings = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                settings.setProperty(arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                try (Reader reader = Files.newBufferedReader(Path.of(arg))) {
                    settings.load(reader);
                }
            }
        }
        return settings;
    }
}
