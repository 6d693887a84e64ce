package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.lang.management.ManagementFactory;

/**
 * What a scale run's figures are measured from: the JVM's retained heap and thread count, and the emulator's
 * subscribe commands and {@code rate_limit_exceeded} answers, taken before its connectors are created.
 */
record ScaleBaseline(long heapBytes, int threads, int refused, int commands) {

    static ScaleBaseline take(AstroEmulator emulator) {
        return new ScaleBaseline(HeapWatch.retainedBytes(), liveThreads(), emulator.rateLimitedCount(),
                emulator.subscribeCommandCount());
    }

    /** The subscribes the emulator refused for the rate limit since. */
    int refusedSince(AstroEmulator emulator) {
        return emulator.rateLimitedCount() - refused;
    }

    /** The subscribe commands the emulator received since. */
    int commandsSince(AstroEmulator emulator) {
        return emulator.subscribeCommandCount() - commands;
    }

    /** How much more heap is retained now. */
    long heapGrowth() {
        return HeapWatch.retainedBytes() - heapBytes;
    }

    /** How many more threads live now. */
    int threadGrowth() {
        return liveThreads() - threads;
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
