package io.github.kafkaconnectastro.bench;

import java.util.List;
import java.util.Locale;

/**
 * Bar charts as hand-written SVG, for the comparisons the benchmark reports ({@code --charts DIR}): grouped bars
 * (one bar per series within each group) and stacked bars (one bar per column, one segment per part). Every chart
 * carries its caption, the command, machine and date that made it, in its {@code <desc>} and as visible text. Bars
 * are drawn as {@code <rect class="bar">} whose height is proportional to the value, with a
 * {@code data-value} attribute holding the value itself.
 */
final class SvgChart {

    private static final int WIDTH = 880;
    private static final int PLOT_LEFT = 80;
    private static final int PLOT_RIGHT = 560;
    private static final int PLOT_TOP = 50;
    private static final int PLOT_BOTTOM = 330;
    private static final int HEIGHT = 420;
    private static final int TICKS = 5;
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
        "#b07aa1", "#9c755f", "#bab0ac"};

    private SvgChart() {
    }

    /**
     * Grouped bars: for each group, one bar per series.
     *
     * @param values  {@code values[group][series]}, not negative
     * @param caption what the chart shows and how it was made (command, machine, date)
     */
    static String grouped(String title, String unit, List<String> groups, List<String> series, double[][] values,
                          String caption) {
        double max = 0;
        for (double[] row : values) {
            for (double value : row) {
                max = Math.max(max, value);
            }
        }
        double top = niceTop(max);
        StringBuilder svg = open(title, caption);
        axis(svg, top, unit);
        double groupWidth = (double) (PLOT_RIGHT - PLOT_LEFT) / groups.size();
        double barWidth = groupWidth * 0.8 / series.size();
        for (int g = 0; g < groups.size(); g++) {
            double groupLeft = PLOT_LEFT + g * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double value = values[g][s];
                double x = groupLeft + s * barWidth;
                double height = scale(value, top);
                bar(svg, x, PLOT_BOTTOM - height, barWidth * 0.9, height, COLOURS[s % COLOURS.length],
                        groups.get(g) + ", " + series.get(s), value, unit);
                text(svg, x + barWidth * 0.45, PLOT_BOTTOM - height - 4, "middle", 10, number(value));
            }
            text(svg, PLOT_LEFT + g * groupWidth + groupWidth / 2, PLOT_BOTTOM + 18, "middle", 12, groups.get(g));
        }
        legend(svg, series);
        return close(svg, caption);
    }

    /**
     * Stacked bars: one bar per column, its parts on top of each other, the total above it.
     *
     * @param values {@code values[column][part]}, not negative
     */
    static String stacked(String title, String unit, List<String> columns, List<String> parts, double[][] values,
                          String caption) {
        double max = 0;
        for (double[] column : values) {
            double sum = 0;
            for (double value : column) {
                sum += value;
            }
            max = Math.max(max, sum);
        }
        double top = niceTop(max);
        StringBuilder svg = open(title, caption);
        axis(svg, top, unit);
        double columnWidth = (double) (PLOT_RIGHT - PLOT_LEFT) / columns.size();
        for (int c = 0; c < columns.size(); c++) {
            double x = PLOT_LEFT + c * columnWidth + columnWidth * 0.15;
            double y = PLOT_BOTTOM;
            double total = 0;
            for (int p = 0; p < parts.size(); p++) {
                double value = values[c][p];
                double height = scale(value, top);
                y -= height;
                total += value;
                bar(svg, x, y, columnWidth * 0.7, height, COLOURS[p % COLOURS.length],
                        columns.get(c) + ", " + parts.get(p), value, unit);
            }
            text(svg, x + columnWidth * 0.35, y - 4, "middle", 10, number(total));
            text(svg, PLOT_LEFT + c * columnWidth + columnWidth / 2, PLOT_BOTTOM + 18, "middle", 11, columns.get(c));
        }
        legend(svg, parts);
        return close(svg, caption);
    }

    /** The axis's top: the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten at least {@code max}. */
    static double niceTop(double max) {
        if (max <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** XML-escapes text for an element's content or an attribute's value. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 allows no other control characters than tab, newline and carriage return.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static double scale(double value, double top) {
        return Math.max(0, value) / top * (PLOT_BOTTOM - PLOT_TOP);
    }

    private static StringBuilder open(String title, String caption) {
        StringBuilder svg = new StringBuilder(8_192);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<desc>").append(escape(caption)).append("</desc>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 28, "middle", 16, title);
        return svg;
    }

    private static void axis(StringBuilder svg, double top, String unit) {
        for (int i = 0; i <= TICKS; i++) {
            double value = top * i / TICKS;
            double y = PLOT_BOTTOM - scale(value, top);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    PLOT_LEFT, y, PLOT_RIGHT, y));
            text(svg, PLOT_LEFT - 6, y + 4, "end", 10, number(value));
        }
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
                (PLOT_TOP + PLOT_BOTTOM) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, escape(unit)));
    }

    private static void bar(StringBuilder svg, double x, double y, double width, double height, String colour,
                            String label, double value, String unit) {
        svg.append(String.format(Locale.ROOT,
                "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.4f\" fill=\"%s\" data-value=\"%s\">"
                        + "<title>%s: %s %s</title></rect>\n",
                x, y, width, height, colour, value, escape(label), number(value), escape(unit)));
    }

    private static void legend(StringBuilder svg, List<String> names) {
        int y = PLOT_TOP;
        for (int i = 0; i < names.size(); i++) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                    PLOT_RIGHT + 14, y, COLOURS[i % COLOURS.length]));
            text(svg, PLOT_RIGHT + 32, y + 10, "start", 10, names.get(i));
            y += 20;
        }
    }

    private static String close(StringBuilder svg, String caption) {
        int y = PLOT_BOTTOM + 44;
        for (String line : wrap(caption, 120)) {
            text(svg, 10, y, "start", 9, line);
            y += 12;
        }
        return svg.append("</svg>\n").toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String text) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>\n",
                x, y, size, anchor, escape(text)));
    }

    private static String number(double value) {
        if (value == 0) {
            return "0";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
