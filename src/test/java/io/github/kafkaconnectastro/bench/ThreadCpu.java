package io.github.kafkaconnectastro.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * CPU time of live threads picked by name, read from the JVM's {@link ThreadMXBean}. Threads are told apart by
 * id, so a thread that starts between two snapshots counts from zero; one that ends between them is lost, which
 * is why the phases keep the measured threads alive across a measurement.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time and name of each picked thread at one moment. */
    record Snapshot(Map<Long, Long> cpuNanos, Map<Long, String> names) {

        /** CPU time spent by the picked threads since {@code before}. */
        long since(Snapshot before) {
            long total = 0;
            for (Map.Entry<Long, Long> entry : cpuNanos.entrySet()) {
                total += entry.getValue() - before.cpuNanos.getOrDefault(entry.getKey(), 0L);
            }
            return total;
        }

        /** CPU time spent since {@code before}, by thread name. */
        Map<String, Long> byThread(Snapshot before) {
            Map<String, Long> spent = new TreeMap<>();
            for (Map.Entry<Long, Long> entry : cpuNanos.entrySet()) {
                spent.merge(names.get(entry.getKey()),
                        entry.getValue() - before.cpuNanos.getOrDefault(entry.getKey(), 0L), Long::sum);
            }
            return spent;
        }

        /** The picked threads' names, sorted, for the report to show what was measured. */
        String describe() {
            return String.join(", ", new TreeSet<>(names.values()));
        }
    }

    private ThreadCpu() {
    }

    static Snapshot take(Predicate<String> pick) {
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        Map<Long, Long> cpu = new TreeMap<>();
        Map<Long, String> names = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
            if (info == null || !pick.test(info.getThreadName())) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return new Snapshot(cpu, names);
    }

    /** CPU time of one thread so far; 0 once it has ended. */
    static long of(Thread thread) {
        return Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
    }

    /** Waits until no live thread is picked; false when some are still there after the timeout. */
    static boolean awaitNone(Predicate<String> pick, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!take(pick).names().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
