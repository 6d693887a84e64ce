package io.github.kafkaconnectastro.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The anchors GitHub gives a Markdown document's headings, for the tests that check links into the docs. */
public final class MarkdownAnchors {

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern EXPLICIT = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    private MarkdownAnchors() {
    }

    /**
     * GitHub's heading anchors, in order: lower case, punctuation dropped, spaces to hyphens, repeats numbered;
     * headings inside fenced code are not headings.
     */
    public static List<String> of(String markdown) {
        List<String> anchors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int repeat = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
        }
        return anchors;
    }

    /**
     * What a link's {@code #anchor} can reach: the headings' anchors ({@link #of}) and, in their order after them,
     * the explicit ones, {@code <a id="…"></a>} or {@code <a name="…"></a>} outside fenced code, which GitHub
     * keeps as link targets (the notes below a table use them).
     */
    public static List<String> targets(String markdown) {
        List<String> targets = new ArrayList<>(of(markdown));
        targets.addAll(explicit(markdown));
        return targets;
    }

    /** The explicit anchors alone, {@code <a id="…">} or {@code <a name="…">} outside fenced code, in order. */
    public static List<String> explicit(String markdown) {
        List<String> anchors = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher explicit = EXPLICIT.matcher(line);
            while (!fenced && explicit.find()) {
                anchors.add(explicit.group(1));
            }
        }
        return anchors;
    }
}
