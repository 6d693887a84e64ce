package io.github.kafkaconnectastro.integration;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples a connector's status through the REST API twice a second and remembers every FAILED state seen, for tests
 * that require the connector and its tasks never to fail, even for a moment a later restart would hide.
 */
final class FailureWatch implements AutoCloseable {
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    FailureWatch(ConnectFixture fixture, String connector) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    ConnectorStateInfo status = fixture.status(connector);
                    if ("FAILED".equals(status.connector().state())) {
                        failed.add("connector: " + status.connector().trace());
                    }
                    status.tasks().stream().filter(t -> "FAILED".equals(t.state()))
                            .forEach(t -> failed.add("task " + t.id() + ": " + t.trace()));
                } catch (RuntimeException e) {
                    // Not created yet, or the worker answering is being removed: look again.
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "failure-watch");
        thread.setDaemon(true);
        thread.start();
    }

    Set<String> failedStates() {
        return Set.copyOf(failed);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
