package io.github.kafkaconnectastro.fuzz;

import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Runs a property over many generated inputs, the way a property-based testing library would, in a few lines of
 * our own (docs/fuzzing.md says why no library). Each try draws its input from a {@link Random} seeded for that
 * try alone, so a failure names the one seed that reproduces it; a failing text is shrunk before it is reported.
 *
 * <p>System properties: {@value #TRIES} replaces every property's own number of tries (the {@code fuzz-long} Maven
 * profile sets it); {@value #SEED} fixes the first try's seed, to rerun a failure.
 */
public final class FuzzRun {

    public static final String TRIES = "fuzz.tries";
    public static final String SEED = "fuzz.seed";
    private static final int MAX_SHRINK_STEPS = 5_000;
    private static final int MAX_REPORTED_CHARS = 2_000;
    private static final int MIN_TRIES_FOR_COVERAGE = 100;

    private FuzzRun() {
    }

    /**
     * A property over inputs of any type.
     *
     * @param check asserts the property of one input and returns a label of its outcome, tallied in the report line
     * @return how many tries ended with each label
     */
    public static <T> Map<String, Long> check(String property, int defaultTries, Function<Random, T> generator,
                                              Function<T, String> check) {
        return run(property, defaultTries, generator, check, input -> Stream.empty());
    }

    /** A property over texts: a failing text is shrunk, by cutting pieces out of it, before it is reported. */
    public static Map<String, Long> checkText(String property, int defaultTries, Function<Random, String> generator,
                                              Function<String, String> check) {
        return run(property, defaultTries, generator, check, FuzzRun::shorterTexts);
    }

    /**
     * Asserts that some tries ended with an outcome whose label starts so: that the generator reaches that path.
     * Not asserted of a run of fewer than {@value #MIN_TRIES_FOR_COVERAGE} tries, such as the rerun of one seed.
     */
    public static void assertReached(Map<String, Long> tally, String labelPrefix) {
        long tries = tally.values().stream().mapToLong(Long::longValue).sum();
        if (tries >= MIN_TRIES_FOR_COVERAGE && tally.keySet().stream().noneMatch(k -> k.startsWith(labelPrefix))) {
            throw new AssertionError("no try reached '" + labelPrefix + "': " + tally);
        }
    }

    private static <T> Map<String, Long> run(String property, int defaultTries, Function<Random, T> generator,
                                             Function<T, String> check, Function<T, Stream<T>> smaller) {
        int tries = Integer.getInteger(TRIES, defaultTries);
        long firstSeed = Long.getLong(SEED, ThreadLocalRandom.current().nextLong());
        Map<String, Long> tally = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            long seed = firstSeed + i;
            T input = generator.apply(new Random(mix(seed)));
            Throwable failure = failure(check, input, tally);
            if (failure != null) {
                T shrunk = shrink(input, check, smaller);
                throw new AssertionError(property + " failed at try " + (i + 1) + " of " + tries + " (rerun it with -D"
                        + SEED + "=" + seed + " -D" + TRIES + "=1): " + failure + "\n  input: " + show(input)
                        + (shrunk.equals(input) ? "" : "\n  shrunk: " + show(shrunk)), failure);
            }
        }
        System.out.printf("[fuzz] %s: %,d tries in %,d ms (first seed %d): %s%n", property, tries,
                (System.nanoTime() - start) / 1_000_000, firstSeed, tally);
        return tally;
    }

    private static <T> Throwable failure(Function<T, String> check, T input, Map<String, Long> tally) {
        try {
            tally.merge(check.apply(input), 1L, Long::sum);
            return null;
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            return e;
        }
    }

    private static <T> T shrink(T input, Function<T, String> check, Function<T, Stream<T>> smaller) {
        T current = input;
        int steps = 0;
        boolean progress = true;
        while (progress && steps < MAX_SHRINK_STEPS) {
            progress = false;
            Iterator<T> candidates = smaller.apply(current).iterator();
            while (candidates.hasNext() && ++steps <= MAX_SHRINK_STEPS) {
                T candidate = candidates.next();
                if (failure(check, candidate, new TreeMap<>()) != null) {
                    current = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return current;
    }

    /** The text with one piece cut out, made one at a time: halves first, down to single characters. */
    private static Stream<String> shorterTexts(String text) {
        return IntStream.iterate(Math.max(1, text.length() / 2), size -> size >= 1, size -> size / 2).boxed()
                .flatMap(size -> IntStream.iterate(0, at -> at + size <= text.length(), at -> at + size)
                        .mapToObj(at -> text.substring(0, at) + text.substring(at + size)));
    }

    private static String show(Object input) {
        String text = String.valueOf(input);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), MAX_REPORTED_CHARS); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out + (text.length() > MAX_REPORTED_CHARS ? "… (" + text.length() + " characters)" : "");
    }

    /** Spreads consecutive seeds over the whole range, as SplittableRandom does. */
    private static long mix(long seed) {
        long z = seed * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
