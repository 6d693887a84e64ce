package io.github.kafkaconnectastro.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the whole JVM's CPU goes during a round, by role: every live thread's CPU time, grouped by its name, and
 * the process's own CPU time, whose remainder is the JVM's threads that {@code ThreadMXBean} does not list (GC,
 * JIT compiler). Everything runs in one JVM on the same cores, so a µs the harness spends is one the pipeline
 * does not get: the table shows both.
 */
final class CpuBreakdown {

    /** A role and the thread names it covers; the first that matches takes a thread. */
    private record Role(String name, Predicate<String> threads) {
    }

    static final String OTHER = "broker, worker's other threads, Kafka clients' other threads";
    static final String VM = "JVM: GC and JIT compiler (process CPU not in any listed thread)";
    private static final List<Role> ROLES = List.of(
            new Role("socket reader (Java-WebSocket client: UTF-8 check, decode, dedup key)",
                    n -> n.startsWith("WebSocketConnectReadThread")),
            new Role("Connect task thread (poll: typed mapping; worker: converters, headers, producer.send)",
                    n -> n.startsWith("task-thread-")),
            new Role("producer network thread", n -> n.startsWith("kafka-producer-network-thread")),
            new Role("harness: publisher and emulator (sending the frames)",
                    n -> n.equals("main") || n.startsWith("WebSocketSelector") || n.startsWith("WebSocketWorker")
                            || n.startsWith("astro-emulator")),
            new Role("harness: consumer reading the output topic", n -> n.startsWith("bench-reader")));
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ThreadCpu.Snapshot threads;
    private final long processNanos;

    private CpuBreakdown(ThreadCpu.Snapshot threads, long processNanos) {
        this.threads = threads;
        this.processNanos = processNanos;
    }

    static CpuBreakdown take() {
        return new CpuBreakdown(ThreadCpu.take(name -> true), OS.getProcessCpuTime());
    }

    /** CPU nanoseconds by role since {@code before}, in the roles' order, then {@link #OTHER} and {@link #VM}. */
    Map<String, Long> since(CpuBreakdown before) {
        Map<String, Long> spent = new LinkedHashMap<>();
        ROLES.forEach(role -> spent.put(role.name, 0L));
        spent.put(OTHER, 0L);
        long listed = 0;
        for (Map.Entry<String, Long> entry : threads.byThread(before.threads).entrySet()) {
            String role = ROLES.stream().filter(r -> r.threads.test(entry.getKey())).map(Role::name).findFirst()
                    .orElse(OTHER);
            spent.merge(role, entry.getValue(), Long::sum);
            listed += entry.getValue();
        }
        spent.put(VM, Math.max(0, processNanos - before.processNanos - listed));
        return spent;
    }
}
