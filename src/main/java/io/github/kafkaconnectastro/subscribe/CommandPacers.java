package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.util.SharedByKey;

/**
 * One {@link CommandPacer} per gateway host for the tasks of a worker ({@code astro.command.limit.scope=address}):
 * they connect from the same address, so a limit the gateway counts per address is theirs to share. A pacer lives
 * while a task holds a {@link SharedByKey.Lease} on it.
 */
public final class CommandPacers {

    private static final SharedByKey<String, CommandPacer> BY_HOST = new SharedByKey<>();

    private CommandPacers() {
    }

    /**
     * The pacer of a gateway host, made with {@code burst} and {@code intervalMs} by the first task to ask; later
     * tasks share it as it is. Closing the lease lets the pacer go with the last task.
     *
     * @param host the gateway's host and port, e.g. {@code astro.streamelements.com:443}
     */
    public static SharedByKey.Lease<CommandPacer> lease(String host, int burst, long intervalMs) {
        return BY_HOST.lease(host, h -> new CommandPacer(burst, intervalMs, System.nanoTime()));
    }

    /** How many hosts have a live pacer: for tests. */
    static int hosts() {
        return BY_HOST.size();
    }
}
