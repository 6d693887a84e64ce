package io.github.kafkaconnectastro.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of frame the emulator writes, built as it builds them, for tests that replay gateway frames without a
 * socket (the fuzz tests start from these).
 */
public final class EmulatorFrames {

    private static final List<String> TOPICS = List.of("channel.activities", "channel.tips", "channel.session.update",
            "channel.stream.status", "channel.chat.message", "channel.kvstore.update");

    private EmulatorFrames() {
    }

    /**
     * A welcome, answers with and without a room, error answers, a broadcast, a reconnect notice, and {@code perTopic}
     * notifications of each topic the activity generator knows, with a room and without one.
     */
    public static List<String> samples(long seed, String room, int perTopic) {
        ActivityGenerator generator = new ActivityGenerator(seed);
        List<String> frames = new ArrayList<>();
        frames.add(ServerMessages.welcome(Ulid.nextId()));
        frames.add(ServerMessages.success(ServerMessages.MAPPER.getNodeFactory().textNode("n-1"),
                "successfully subscribed to topic", "channel.activities", null));
        frames.add(ServerMessages.success(ServerMessages.MAPPER.getNodeFactory().numberNode(7),
                "successfully subscribed to topic", "channel.tips", room));
        frames.add(ServerMessages.error(ServerMessages.MAPPER.getNodeFactory().textNode("n-2"), "err_unauthorized",
                "invalid token"));
        frames.add(ServerMessages.error(null, "rate_limit_exceeded", "rate limit exceeded"));
        frames.add(ServerMessages.broadcast(Ulid.nextId(), Instant.now(), "Hello world!"));
        frames.add(ServerMessages.reconnect("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"));
        for (String topic : TOPICS) {
            for (int i = 0; i < perTopic; i++) {
                frames.add(ServerMessages.notification(Ulid.nextId(), Instant.now(), topic, i % 2 == 0 ? room : null,
                        generator.next(topic, room)));
            }
        }
        return List.copyOf(frames);
    }
}
