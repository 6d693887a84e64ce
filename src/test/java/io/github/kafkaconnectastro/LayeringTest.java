package io.github.kafkaconnectastro;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages' dependencies run one way: a package imports only packages on a lower layer, never one on its own
 * layer or above. The layers, from the top: the two classes Connect names in its configs, {@code connector},
 * {@code config}, {@code metrics}, {@code session} and {@code gaps}, {@code subscribe}, {@code transport} and
 * {@code records}, {@code offsets}, {@code auth}, {@code protocol} and {@code util}.
 */
class LayeringTest {

    private static final String BASE = "io.github.kafkaconnectastro";
    private static final Path MAIN = Path.of("src/main/java/io/github/kafkaconnectastro");
    private static final int MAX_LINES = 400;
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("", 0),
            Map.entry("connector", 1),
            Map.entry("config", 2),
            Map.entry("metrics", 3),
            Map.entry("session", 4), Map.entry("gaps", 4),
            Map.entry("subscribe", 5), Map.entry("transport", 5), Map.entry("records", 5),
            Map.entry("offsets", 6),
            Map.entry("auth", 7),
            Map.entry("protocol", 8),
            Map.entry("util", 9));
    /** An import of one of the project's classes, or a class named in full with its package. */
    private static final Pattern REFERENCE = Pattern.compile("(?m)^import (?:static )?" + Pattern.quote(BASE)
            + "\\.(?:([a-z]+)\\.)?[A-Z]\\w*|\\b" + Pattern.quote(BASE) + "\\.([a-z]+)\\.[A-Z]\\w*");
    /**
     * Imports that still run the wrong way while the layout is being put right; each must go, and the test fails
     * when one listed here is gone, so that the list only shrinks.
     */
    private static final List<String> KNOWN = List.of();

    @Test
    void everyPackageHasALayer() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            dirs.filter(Files::isDirectory).forEach(dir -> assertTrue(LAYER.containsKey(dir.getFileName().toString()),
                    "package " + dir.getFileName() + " has no layer in LayeringTest"));
        }
    }

    @Test
    void noPackageImportsItsOwnLayerOrAbove() throws IOException {
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String from = packageOf(file);
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "";
                    String name = m.group().substring(m.group().indexOf(BASE) + BASE.length() + 1);
                    if (!to.equals(from) && LAYER.get(to) <= LAYER.get(from)) {
                        upward.add(MAIN.relativize(file) + " -> " + name);
                    }
                }
            }
        }
        List<String> unknown = new ArrayList<>(upward);
        unknown.removeAll(KNOWN);
        assertEquals(List.of(), unknown, "imports that run sideways or back up");
        List<String> fixed = new ArrayList<>(KNOWN);
        fixed.removeAll(upward);
        assertEquals(List.of(), fixed, "no longer there: remove them from KNOWN");
    }

    /** Small, single-purpose classes: no main source file is over 400 lines (the developers' guide's rule). */
    @Test
    void noMainFileIsOver400Lines() throws IOException {
        List<String> large = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                long lines = Files.readAllLines(file).size();
                if (lines > MAX_LINES) {
                    large.add(MAIN.relativize(file) + " (" + lines + " lines)");
                }
            }
        }
        assertEquals(List.of(), large, "main files over " + MAX_LINES + " lines");
    }

    private static String packageOf(Path file) {
        Path dir = MAIN.relativize(file).getParent();
        return dir == null ? "" : dir.toString();
    }
}
