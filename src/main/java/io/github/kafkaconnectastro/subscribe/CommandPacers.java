package io.github.kafkaconnectastro.subscribe;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@link CommandPacer} per gateway host for the tasks of a worker ({@code astro.command.limit.scope=address}):
 * they connect from the same address, so a limit the gateway counts per address is theirs to share. A pacer lives
 * while a task holds a {@link Lease} on it.
 */
public final class CommandPacers {

    private static final Map<String, Shared> BY_HOST = new HashMap<>();

    private CommandPacers() {
    }

    /** A task's hold on its host's pacer; closing it lets the pacer go with the last task. */
    public static final class Lease implements AutoCloseable {
        private final String host;
        private final CommandPacer pacer;
        private boolean closed;

        private Lease(String host, CommandPacer pacer) {
            this.host = host;
            this.pacer = pacer;
        }

        public CommandPacer pacer() {
            return pacer;
        }

        @Override
        public void close() {
            synchronized (BY_HOST) {
                if (closed) {
                    return;
                }
                closed = true;
                Shared shared = BY_HOST.get(host);
                if (shared != null && --shared.holders == 0) {
                    BY_HOST.remove(host);
                }
            }
        }
    }

    private static final class Shared {
        final CommandPacer pacer;
        int holders;

        Shared(CommandPacer pacer) {
            this.pacer = pacer;
        }
    }

    /**
     * The pacer of a gateway host, made with {@code burst} and {@code intervalMs} by the first task to ask; later
     * tasks share it as it is.
     *
     * @param host the gateway's host and port, e.g. {@code astro.streamelements.com:443}
     */
    public static Lease lease(String host, int burst, long intervalMs) {
        synchronized (BY_HOST) {
            Shared shared = BY_HOST.computeIfAbsent(host,
                    h -> new Shared(new CommandPacer(burst, intervalMs, System.nanoTime())));
            shared.holders++;
            return new Lease(host, shared.pacer);
        }
    }

    /** How many hosts have a live pacer: for tests. */
    static int hosts() {
        synchronized (BY_HOST) {
            return BY_HOST.size();
        }
    }
}
