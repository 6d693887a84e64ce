package io.github.kafkaconnectastro.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's report, written as Markdown: printed to the console at the end of a run and saved to a file.
 * Each section is a short explanation followed by a table of figures with the target the issue set for them.
 */
final class BenchReport {

    private final StringBuilder text = new StringBuilder();
    private boolean tableOpen;

    void title(String title) {
        text.append("# ").append(title).append("\n\n");
    }

    void section(String title, String explanation) {
        tableOpen = false;
        text.append("\n## ").append(title).append("\n\n").append(explanation).append("\n\n");
    }

    void line(String markdown) {
        if (tableOpen) {
            // A table only ends at a blank line; a line right after it would become a row.
            text.append('\n');
            tableOpen = false;
        }
        text.append(markdown).append('\n');
    }

    /** A figure without a target. */
    void figure(String name, String value) {
        row(name, value, "", "");
    }

    /** A figure with its target and whether it met it. */
    void figure(String name, String value, String target, boolean met) {
        row(name, value, target, met ? "yes" : "**no**");
    }

    private void row(String name, String value, String target, String met) {
        if (!tableOpen) {
            text.append("| figure | measured | target | met |\n|---|---|---|---|\n");
            tableOpen = true;
        }
        text.append("| ").append(name).append(" | ").append(value).append(" | ").append(target).append(" | ")
                .append(met).append(" |\n");
    }

    String markdown() {
        return text.toString();
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, markdown());
    }
}
