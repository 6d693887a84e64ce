package io.github.kafkaconnectastro.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the figures were measured on. Read from the JVM and from {@code /proc}, so it says "unknown" rather than
 * failing on systems without it.
 *
 * @param cpus        processors available to the JVM
 * @param cpuModel    the first "model name" in /proc/cpuinfo
 * @param java        runtime name and version
 * @param heap        the heap flags the JVM was started with, and the resulting maximum
 * @param gc          the garbage collectors in use
 * @param loadAverage the 1, 5 and 15 minute load averages at the time of reading
 */
record MachineInfo(int cpus, String cpuModel, String java, String heap, String gc, String loadAverage) {

    static MachineInfo read() {
        Runtime runtime = Runtime.getRuntime();
        List<String> heapFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Xm") || arg.startsWith("-XX:+Use") || arg.startsWith("-XX:MaxRAM"))
                .toList();
        String heap = (heapFlags.isEmpty() ? "JVM defaults" : String.join(" ", heapFlags))
                + String.format(Locale.ROOT, " (max heap %d MiB)", runtime.maxMemory() >> 20);
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new MachineInfo(runtime.availableProcessors(), readCpuModel(), java, heap, gc, currentLoadAverage());
    }

    /** The first figure of the load average, for telling a busy machine apart; -1 when unknown. */
    double load1() {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String currentLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
