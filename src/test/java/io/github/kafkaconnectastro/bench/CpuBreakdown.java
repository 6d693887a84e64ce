package io.github.kafkaconnectastro.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the whole JVM's CPU goes during a round, by role: every live thread's CPU time, grouped by its name, and
 * the process's own CPU time, whose remainder is the JVM's threads that {@code ThreadMXBean} does not list (GC,
 * JIT compiler). Everything runs in one JVM on the same cores, so a µs the harness spends is one the pipeline
 * does not get: the table shows both. It also takes each thread's allocated bytes
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), for the garbage a record makes, by the same roles.
 */
final class CpuBreakdown {

    /** A role and the thread names it covers; the first that matches takes a thread. */
    private record Role(String name, Predicate<String> threads) {
    }

    static final String OTHER = "broker, worker's other threads, Kafka clients' other threads";
    static final String VM = "JVM: GC and JIT compiler (process CPU not in any listed thread)";
    static final String PUBLISHER = "harness: publisher and emulator (sending the frames)";
    static final String CONSUMER = "harness: consumer reading the output topic";
    private static final List<Role> ROLES = List.of(
            new Role("socket reader (Java-WebSocket client: UTF-8 check, decode, dedup key)",
                    n -> n.startsWith("WebSocketConnectReadThread")),
            new Role("Connect task thread (poll: typed mapping; worker: converters, headers, producer.send)",
                    n -> n.startsWith("task-thread-")),
            new Role("producer network thread", n -> n.startsWith("kafka-producer-network-thread")),
            new Role(PUBLISHER,
                    n -> n.equals("main") || n.startsWith("WebSocketSelector") || n.startsWith("WebSocketWorker")
                            || n.startsWith("astro-emulator")),
            new Role(CONSUMER, n -> n.startsWith("bench-reader")));
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final ThreadCpu.Snapshot threads;
    private final long processNanos;
    private final Map<Long, Long> allocated;

    private CpuBreakdown(ThreadCpu.Snapshot threads, long processNanos, Map<Long, Long> allocated) {
        this.threads = threads;
        this.processNanos = processNanos;
        this.allocated = allocated;
    }

    static CpuBreakdown take() {
        ThreadCpu.Snapshot threads = ThreadCpu.take(name -> true);
        long[] ids = threads.names().keySet().stream().mapToLong(Long::longValue).toArray();
        Map<Long, Long> allocated = new HashMap<>();
        if (THREADS.isThreadAllocatedMemorySupported()) {
            if (!THREADS.isThreadAllocatedMemoryEnabled()) {
                THREADS.setThreadAllocatedMemoryEnabled(true);
            }
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    allocated.put(ids[i], bytes[i]);
                }
            }
        }
        return new CpuBreakdown(threads, OS.getProcessCpuTime(), allocated);
    }

    /**
     * Bytes allocated since {@code before} by the threads alive at both moments, by role (as {@link #since}, without
     * the JVM's own row: its threads allocate no Java objects).
     */
    Map<String, Long> allocatedSince(CpuBreakdown before) {
        Map<String, Long> spent = new LinkedHashMap<>();
        ROLES.forEach(role -> spent.put(role.name, 0L));
        spent.put(OTHER, 0L);
        for (Map.Entry<Long, Long> entry : allocated.entrySet()) {
            Long earlier = before.allocated.get(entry.getKey());
            String name = threads.names().get(entry.getKey());
            long bytes = entry.getValue() - (earlier == null ? 0 : earlier);
            spent.merge(roleOf(name), bytes, Long::sum);
        }
        return spent;
    }

    private static String roleOf(String threadName) {
        return ROLES.stream().filter(r -> r.threads.test(threadName)).map(Role::name).findFirst().orElse(OTHER);
    }

    /** CPU nanoseconds by role since {@code before}, in the roles' order, then {@link #OTHER} and {@link #VM}. */
    Map<String, Long> since(CpuBreakdown before) {
        Map<String, Long> spent = new LinkedHashMap<>();
        ROLES.forEach(role -> spent.put(role.name, 0L));
        spent.put(OTHER, 0L);
        long listed = 0;
        for (Map.Entry<String, Long> entry : threads.byThread(before.threads).entrySet()) {
            spent.merge(roleOf(entry.getKey()), entry.getValue(), Long::sum);
            listed += entry.getValue();
        }
        spent.put(VM, Math.max(0, processNanos - before.processNanos - listed));
        return spent;
    }
}
