package io.github.kafkaconnectastro.integration;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The threads a task's websocket session runs on: its own {@code astro-session-<connector>-<task>} thread and
 * Java-WebSocket's client reader and writer threads. The emulator's server threads have other names.
 */
final class SessionThreads {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SessionThreads() {
    }

    /** Live session and websocket client threads; the websocket ones of any connector in this JVM. */
    static List<Thread> live(String connector) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("astro-session-" + connector + "-")
                        || t.getName().startsWith("WebSocketConnectReadThread-")
                        || t.getName().startsWith("WebSocketWriteThread-"))
                .toList();
    }

    /** CPU time, in nanoseconds, the given threads have used so far (threads that ended count as zero). */
    static long cpuNanos(List<Thread> threads) {
        long total = 0;
        for (Thread thread : threads) {
            long cpu = THREADS.getThreadCpuTime(thread.getId());
            total += Math.max(0, cpu);
        }
        return total;
    }

    static String describe(List<Thread> threads) {
        return threads.stream().map(Thread::getName).toList().toString();
    }
}
