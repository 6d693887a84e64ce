package io.github.kafkaconnectastro.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The medians of repeated runs ({@code bench/run.sh --repeat N}): reads the reports the runs wrote and, for every
 * figure that starts with a number, gives the median over the runs and each run's value. Figures are matched by
 * their section and their name in the report's tables ({@code Throughput, typed values › connector rate (median)}),
 * so a summary covers whichever phases the runs had, and a figure that several sections report (typed and raw
 * values) keeps one row per section.
 */
final class BenchSummary {

    /**
     * A figure that is one number, with a unit and perhaps a remark in parentheses: {@code 53,329/s (rounds: ...)},
     * {@code 6.7 ms}, {@code 0.19}. Figures such as {@code 0 / 0} or {@code 16.0 of 16.0 MiB} have no median.
     */
    private static final Pattern LEADING_NUMBER = Pattern.compile(
            "^([0-9][0-9,]*(?:\\.[0-9]+)?)(/s|\\s*ms|\\s*µs|\\s*s CPU|\\s*MiB|\\s*s|\\s*% of a core|\\s*%)?(?=$|\\s*[(;])");

    private BenchSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BenchSummary SUMMARY.md REPORT.md...");
            System.exit(2);
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<Path> reports = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path report = Path.of(args[i]);
            reports.add(report);
            figures(Files.readAllLines(report)).forEach((name, value) ->
                    values.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        }
        StringBuilder out = new StringBuilder("# kafka-connect-astro benchmark: medians of " + reports.size()
                + " runs\n\nReports: " + String.join(", ", reports.stream().map(Path::toString).toList())
                + "\n\n| figure | median of the runs | each run |\n|---|---|---|\n");
        for (Map.Entry<String, List<String>> figure : values.entrySet()) {
            String median = median(figure.getValue());
            out.append("| ").append(figure.getKey()).append(" | ").append(median == null ? "—" : median)
                    .append(" | ").append(String.join("; ", figure.getValue().stream().map(BenchSummary::leading).toList()))
                    .append(" |\n");
        }
        Path summary = Path.of(args[0]);
        Files.writeString(summary, out);
        System.out.println(out);
        System.out.println("summary written to " + summary);
    }

    /**
     * A report's figures: the first two cells of every table row that is not a header, named
     * {@code section › figure} after the {@code ## } heading above them, in the report's order.
     */
    static Map<String, String> figures(List<String> lines) {
        Map<String, String> figures = new LinkedHashMap<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.substring(3).trim() + " › ";
                continue;
            }
            boolean header = i + 1 < lines.size() && lines.get(i + 1).startsWith("|---");
            String[] cells = line.split("\\|");
            if (cells.length >= 3 && line.startsWith("| ") && !header) {
                figures.putIfAbsent(section + cells[1].trim(), cells[2].trim());
            }
        }
        return figures;
    }

    /**
     * The median of the figure's leading numbers, with as many decimals as the runs gave and the first run's unit;
     * null when one is not a number.
     */
    static String median(List<String> runValues) {
        List<Double> numbers = new ArrayList<>();
        String unit = null;
        int decimals = 0;
        for (String value : runValues) {
            Matcher m = LEADING_NUMBER.matcher(value);
            if (!m.find()) {
                return null;
            }
            String number = m.group(1);
            numbers.add(Double.parseDouble(number.replace(",", "")));
            int point = number.indexOf('.');
            decimals = Math.max(decimals, point < 0 ? 0 : number.length() - point - 1);
            unit = unit == null ? (m.group(2) == null ? "" : m.group(2).trim()) : unit;
        }
        numbers.sort(Double::compare);
        int n = numbers.size();
        double median = n % 2 == 1 ? numbers.get(n / 2) : (numbers.get(n / 2 - 1) + numbers.get(n / 2)) / 2;
        if (n % 2 == 0 && median != Math.rint(median * Math.pow(10, decimals)) / Math.pow(10, decimals)) {
            decimals++;
        }
        String number = String.format(Locale.ROOT, "%,." + decimals + "f", median);
        return unit.isEmpty() ? number : number + (unit.startsWith("/") ? "" : " ") + unit;
    }

    /** A run's value without its remark in parentheses, which can be long (the rounds of a rate). */
    private static String leading(String value) {
        int remark = value.indexOf(" (");
        return remark < 0 ? value : value.substring(0, remark);
    }
}
