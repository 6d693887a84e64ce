package io.github.kafkaconnectastro.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link AstroEmulator} standalone, publishing a varied activity stream to every (topic, room)
 * that has a subscriber, so the connector can be tried without a StreamElements account.
 *
 * <pre>
 * --port N        listen port (default 7070)
 * --rate N        notifications per second, across all subscribed pairs (default 5)
 * --rooms a,b     channel ids (default two made-up ids); the token's own room is the first
 * --topics t1,t2  topics to publish on (default the common channel.* topics)
 * --token T       the accepted token (default quickstart-token)
 * --duration S    seconds to run, 0 = until killed (default 0)
 * --seed N        generator seed (default 42)
 * --echo-room     name the room in subscribe responses, as some gateway versions do (default:
 *                 no room, as the gateway documents show)
 * </pre>
 *
 * <p>Prints one status line per second.
 */
public final class AstroEmulatorMain {

    private static final List<String> DEFAULT_ROOMS =
            List.of("5f3c1a9be7d24c0012ab34cd", "64b7e2f19a3c5d0011fe8a27");
    private static final List<String> DEFAULT_TOPICS = List.of("channel.activities", "channel.tips",
            "channel.session.update", "channel.stream.status", "channel.chat.message");

    private AstroEmulatorMain() {
    }

    /** Command-line settings. */
    record Options(int port, double rate, List<String> rooms, List<String> topics, String token,
                                  long durationSeconds, long seed, boolean echoRoom) {

        static Options parse(String[] args) {
            int port = AstroEmulator.DEFAULT_PORT;
            double rate = 5;
            List<String> rooms = DEFAULT_ROOMS;
            List<String> topics = DEFAULT_TOPICS;
            String token = "quickstart-token";
            long duration = 0;
            long seed = 42;
            boolean echoRoom = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if ("--help".equals(flag) || "-h".equals(flag)) {
                    throw new IllegalArgumentException("usage");
                }
                if ("--echo-room".equals(flag)) {
                    echoRoom = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + flag);
                }
                String value = args[++i];
                switch (flag) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--rooms" -> rooms = csv(value);
                    case "--topics" -> topics = csv(value);
                    case "--token" -> token = value;
                    case "--duration" -> duration = Long.parseLong(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (rooms.isEmpty() || topics.isEmpty() || rate < 0 || duration < 0) {
                throw new IllegalArgumentException("rooms and topics must not be empty, numbers >= 0");
            }
            return new Options(port, rate, rooms, topics, token, duration, seed, echoRoom);
        }

        private static List<String> csv(String value) {
            return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * Starts the emulator and publishes until the duration elapses or the process is killed.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: AstroEmulatorMain [--port N] [--rate N] [--rooms a,b] "
                    + "[--topics t1,t2] [--token T] [--duration S] [--seed N] [--echo-room]");
            System.exit(2);
            return;
        }
        AstroEmulator emulator = AstroEmulator.start(options.port());
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "astro-emulator-shutdown"));
        emulator.acceptToken(options.token(), options.rooms().get(0));
        emulator.setEchoRoomInResponses(options.echoRoom());
        // Behave like the real gateway over long runs, and do not grow memory per message.
        emulator.setHeartbeat(Duration.ofSeconds(30), Duration.ofSeconds(70));
        emulator.setTrackDeliveriesPerId(false);
        System.out.printf("Astro emulator listening on %s%n  token: %s (own room %s)%n  rooms: %s%n"
                        + "  topics: %s%n  rate: %s/s%n  subscribe responses: %s%n", emulator.uri(),
                options.token(), options.rooms().get(0), options.rooms(), options.topics(),
                options.rate(), options.echoRoom() ? "with the room" : "without a room, as documented");
        try {
            run(emulator, options);
        } finally {
            emulator.close();
        }
    }

    private static void run(AstroEmulator emulator, Options options) throws InterruptedException {
        ActivityGenerator generator = new ActivityGenerator(options.seed());
        long start = System.nanoTime();
        long end = options.durationSeconds() == 0 ? Long.MAX_VALUE
                : start + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        boolean publishing = options.rate() > 0;
        long period = publishing ? (long) (1e9 / options.rate()) : 0;
        long nextPublish = publishing ? start + period : Long.MAX_VALUE;
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        int publishedThisSecond = 0;
        int skippedThisSecond = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (publishing && now >= nextPublish) {
                List<String[]> targets = subscribedPairs(emulator, options);
                if (targets.isEmpty()) {
                    skippedThisSecond++;
                } else {
                    String[] target = generator.pick(targets);
                    emulator.publish(target[0], target[1], generator.next(target[0], target[1]));
                    publishedThisSecond++;
                }
                nextPublish += period;
            }
            if (now >= nextReport) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(now - start);
                System.out.printf("t=%ds connections=%d published=%d/s (total %d) skipped=%d "
                                + "delivered=%d commands=%d%n", seconds, emulator.connectionCount(),
                        publishedThisSecond, emulator.publishCount(), skippedThisSecond,
                        emulator.deliveredCount(), emulator.receivedCommandCount());
                publishedThisSecond = 0;
                skippedThisSecond = 0;
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            long wake = Math.min(Math.min(nextPublish, nextReport), end);
            long sleep = wake - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
    }

    /** Pairs worth publishing to: no subscriber means the message would be lost anyway. */
    private static List<String[]> subscribedPairs(AstroEmulator emulator, Options options) {
        List<String[]> pairs = new ArrayList<>();
        for (String topic : options.topics()) {
            for (String room : options.rooms()) {
                if (emulator.subscriberCount(topic, room) > 0) {
                    pairs.add(new String[] {topic, room});
                }
            }
        }
        return pairs;
    }
}
