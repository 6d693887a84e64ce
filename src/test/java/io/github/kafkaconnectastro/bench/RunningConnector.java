package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One connector of a run, with its single task, its metrics and the reader of its output topic. Closing it
 * deletes the connector and waits for its threads to end, so the next phase measures only its own.
 */
final class RunningConnector implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final BenchCluster cluster;
    private final String name;
    private final String topic;
    private final AstroTaskMetricsMXBean metrics;
    private final KafkaReader reader;

    RunningConnector(BenchCluster cluster, String name, String topic, AstroTaskMetricsMXBean metrics,
                     KafkaReader reader) {
        this.cluster = cluster;
        this.name = name;
        this.topic = topic;
        this.metrics = metrics;
        this.reader = reader;
    }

    String name() {
        return name;
    }

    String topic() {
        return topic;
    }

    AstroTaskMetricsMXBean metrics() {
        return metrics;
    }

    KafkaReader reader() {
        return reader;
    }

    /** The client id Connect gives the task's producer, which quotas are set on. */
    String producerClientId() {
        return "connector-producer-" + name + "-0";
    }

    /**
     * The threads doing this connector's work: Connect's task thread, the session thread, the websocket library's
     * reader and writer, and the task's producer I/O thread. The websocket threads carry no connector name, so
     * they are only this connector's while no other websocket client runs, which the phases make sure of.
     */
    Predicate<String> threads() {
        String task = "task-thread-" + name + "-";
        String session = "astro-session-" + name + "-";
        String producer = "kafka-producer-network-thread | " + producerClientId();
        return thread -> thread.startsWith(task)
                || thread.startsWith(session)
                || thread.equals(producer)
                || thread.startsWith("WebSocketConnectReadThread-")
                // The library spells it WebSocketWriteThread-<id>; older versions wrote Websocket.
                || thread.toLowerCase(Locale.ROOT).startsWith("websocketwritethread-");
    }

    @Override
    public void close() throws Exception {
        cluster.connect.deleteConnector(name);
        reader.close();
        if (!ThreadCpu.awaitNone(threads(), STOP_TIMEOUT)) {
            throw new IllegalStateException("threads of connector " + name + " still run "
                    + STOP_TIMEOUT.toSeconds() + " s after it was deleted: " + ThreadCpu.take(threads()).describe());
        }
    }
}
