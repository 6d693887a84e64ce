package io.github.kafkaconnectastro.fuzz;

import io.github.kafkaconnectastro.emulator.EmulatorFrames;
import io.github.kafkaconnectastro.protocol.DocumentExamples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The real frames the fuzz tests start from: the gateway documents' examples, verbatim, and the frames the emulator
 * writes (every kind, notifications of each topic it knows).
 */
public final class SeedFrames {

    /** The channel of the documents' notification, which the emulator's notifications use too. */
    public static final String ROOM = "6183c7d4ebc632abbf809890";

    private static final List<String> DOCUMENTS = List.of("protocol-notification-activity.json",
            "protocol-reconnect.json", "protocol-welcome.json", "seed-2023-subscribe-request.json",
            "seed-notification-broadcast.json", "seed-response-error-unauthorized.json", "seed-response-success.json",
            "seed-subscribe-request.json");
    private static final List<String> ALL = load();

    private SeedFrames() {
    }

    public static List<String> all() {
        return ALL;
    }

    /** One of the real frames, mutated. */
    public static String mutated(Random random) {
        return FrameMutator.mutate(random, ALL.get(random.nextInt(ALL.size())));
    }

    private static List<String> load() {
        List<String> frames = new ArrayList<>();
        for (String name : DOCUMENTS) {
            frames.add(DocumentExamples.text(name));
        }
        frames.addAll(EmulatorFrames.samples(13, ROOM, 4));
        return List.copyOf(frames);
    }
}
