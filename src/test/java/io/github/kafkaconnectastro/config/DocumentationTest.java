package io.github.kafkaconnectastro.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documents stay true to the repository: every relative link reaches a file (and its heading, for an anchor),
 * every document cited by name is in the repository, and every key of the connector's own namespaces named in a
 * document or an example is one the {@code ConfigDef} defines.
 */
class DocumentationTest {

    /** Where keys of the connector live: a word starting with one of these is read as a key, or must be excused. */
    private static final Pattern OWN_KEY = Pattern.compile(
            "(?<![\\w.${/-])((?:astro|reconnect|dedup|buffer|poll|heartbeat)\\.[a-z0-9_.-]*[a-z0-9])(?![\\w(])");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CITED_FILE = Pattern.compile("(?<![\\w/.-])([A-Za-z0-9_-]+\\.md)\\b");
    /**
     * Names in the connector's namespaces that are not keys: example topics and file names. Record headers are
     * found in the code itself, and hosts and the record topics ({@code astro.channel.*}) by their shape.
     */
    private static final Set<String> NOT_KEYS = Set.of("astro.properties", "astro.follows.per-minute",
            "astro.tip-totals.per-minute");
    /** Files the build writes, which the docs name as outputs; they are not in the repository. */
    private static final Set<String> BUILD_OUTPUTS = Set.of("benchmark-report.md", "summary.md");
    /** The most visible characters a table cell may hold (see {@link #everyTableCellIsShort}). */
    private static final int MAX_CELL = 100;

    /**
     * Folders whose Markdown a user does not read as the project's documentation: the build's output, the tests'
     * sources and resources (among them verbatim copies of the gateway's documents, which the documents win over),
     * and {@code bench/results}, the reports the benchmark generates, kept as each run wrote them. Hidden folders
     * ({@code .git}, {@code .tools}, {@code .ci}) and {@code node_modules} are left out too.
     */
    private static final Set<Path> NOT_DOCUMENTS = Set.of(Path.of("target"), Path.of("src"),
            Path.of("bench", "results"));

    /** Every Markdown file of the repository that a user reads: README.md, CHANGELOG.md, docs, examples, deploy. */
    static Stream<Path> documents() {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(Path.of(""), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skipped = name.startsWith(".") || name.equals("node_modules") || name.equals("target")
                            || NOT_DOCUMENTS.contains(dir);
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && file.toString().endsWith(".md")) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files.stream();
    }

    static Stream<Path> documentsAndExamples() {
        List<Path> files = new ArrayList<>(documents().toList());
        files.addAll(walk(Path.of("config"), ""));
        files.addAll(walk(Path.of("deploy"), ".yaml"));
        files.add(Path.of("manifest.json"));
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyRelativeLinkReachesAFileAndItsHeading(Path document) {
        List<String> broken = new ArrayList<>();
        String text = read(document);
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                continue; // https:, mailto: ...
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? document : document.resolveSibling(file).normalize();
            if (!Files.exists(resolved)) {
                broken.add(target + " (no file " + resolved + ")");
            } else if (anchor != null && resolved.toString().endsWith(".md")
                    && !MarkdownAnchors.targets(read(resolved)).contains(anchor)) {
                broken.add(target + " (no heading or <a id> with anchor #" + anchor + " in " + resolved + ")");
            }
        }
        assertEquals(List.of(), broken, document + ": links to what is not there");
    }

    /** Each explicit anchor names one place: no other explicit anchor, and no heading, has it. */
    @ParameterizedTest
    @MethodSource("documents")
    void everyExplicitAnchorIsUnique(Path document) {
        String text = read(document);
        List<String> headings = MarkdownAnchors.of(text);
        Set<String> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (String anchor : MarkdownAnchors.explicit(text)) {
            if (!seen.add(anchor) || headings.contains(anchor)) {
                repeated.add(anchor);
            }
        }
        assertEquals(List.of(), repeated, document + ": <a id> anchors that another anchor or a heading has too");
    }

    /**
     * A table cell says a few words and links to the paragraph below the table that carries the rest: a cell whose
     * visible text (links' targets, bold and code marks not counted) is over {@value #MAX_CELL} characters fails.
     * Blocks generated from the code are left out ({@link MarkdownTables#cells}); so are the benchmark's generated
     * reports in {@code bench/results}, which are not {@link #documents}.
     */
    @ParameterizedTest
    @MethodSource("documents")
    void everyTableCellIsShort(Path document) {
        assertEquals(List.of(), longCells(read(document)), document + ": table cells over " + MAX_CELL
                + " visible characters; keep a few words (the figure, if it is one) and link to a note below the"
                + " table that carries the rest");
    }

    /** The check above must be able to fail: a long cell is caught, a link's target and an anchor tag are not text. */
    @Test
    void aLongCellIsCaughtAndLinkTargetsAreNotCounted() {
        String longCell = "Reconnects on its own thread with a fresh client: exponential backoff with full jitter,"
                + " then subscribes every pair again, paced.";
        String shortCell = "Reconnects with backoff and full jitter, then subscribes every pair again ([more]"
                + "(#connection-dropped-without-a-close-frame-and-a-long-anchor-that-is-not-counted))";
        String markdown = "| failure | what the connector does |\n|---|---|\n"
                + "| Connection dropped | " + longCell + " |\n"
                + "| Same, escaped \\| pipe | " + shortCell + " |\n"
                + "```\n| in code | " + longCell + " |\n```\n"
                + "<!-- listing:begin (generated by SomeTest) -->\n| generated | " + longCell + " |\n<!-- listing:end -->\n"
                + "| after | " + longCell + " |\n";
        assertEquals(List.of("3: " + longCell, "11: " + longCell), longCells(markdown));
        assertEquals(List.of("Same, escaped \\| pipe", shortCell), MarkdownTables.row("| Same, escaped \\| pipe | "
                + shortCell + " |"));
        assertEquals(80, new MarkdownTables.Cell(1, shortCell).visible().length());
    }

    /** The checks read every document a user reads, and not the benchmark's generated reports or test resources. */
    @Test
    void theDocumentsAreEveryMarkdownFileAUserReads() {
        List<Path> documents = documents().toList();
        assertTrue(documents.containsAll(List.of(Path.of("README.md"), Path.of("CHANGELOG.md"),
                Path.of("docs", "troubleshooting.md"), Path.of("examples", "tip-totals", "README.md"),
                Path.of("deploy", "strimzi", "README.md"))), documents::toString);
        assertTrue(documents.stream().noneMatch(d -> d.startsWith(Path.of("bench", "results")) || d.startsWith("src")
                || d.startsWith("target")), documents::toString);
    }

    @Test
    void explicitAnchorsAreLinkTargetsButNotSections() {
        String markdown = "## Notes\n- <a id=\"proxy-407\"></a>**Proxy 407**\n```\n<a id=\"in-code\"></a>\n```\n";
        assertEquals(List.of("notes"), MarkdownAnchors.of(markdown));
        assertEquals(List.of("notes", "proxy-407"), MarkdownAnchors.targets(markdown));
    }

    private static List<String> longCells(String markdown) {
        List<String> found = new ArrayList<>();
        for (MarkdownTables.Cell cell : MarkdownTables.cells(markdown)) {
            if (cell.visible().length() > MAX_CELL) {
                found.add(cell.line() + ": " + cell.text());
            }
        }
        return found;
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyCitedDocumentIsInTheRepository(Path document) {
        Set<String> inRepository = new HashSet<>();
        documents().forEach(d -> inRepository.add(d.getFileName().toString()));
        List<String> missing = new ArrayList<>();
        Matcher cited = CITED_FILE.matcher(read(document));
        while (cited.find()) {
            String name = cited.group(1);
            if (!inRepository.contains(name) && !BUILD_OUTPUTS.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, document + " cites documents the repository does not hold: link them"
                + " by URL (docs/gateway.md lists StreamElements' own) or name what is here");
    }

    @ParameterizedTest
    @MethodSource("documentsAndExamples")
    void everyKeyNamedIsDefined(Path document) {
        assertEquals(Set.of(), undefinedKeys(read(document)), document + " names keys the ConfigDef does not define");
    }

    /** The check above must be able to fail: a misspelt key is caught, the shapes it excuses are not keys. */
    @Test
    void aMisspeltKeyIsCaughtAndHeadersTopicsAndHostsAreNot() {
        assertEquals(Set.of("astro.reconect.backoff.ms", "reconnect.backoff.maximum.ms"), undefinedKeys(
                "Set `astro.reconect.backoff.ms` and reconnect.backoff.maximum.ms=1; astro.url, reconnect.backoff.max.ms,"
                        + " the header astro.event.id, the topic astro.channel.tips, wss://astro.streamelements.com,"
                        + " ${file:/etc/astro.properties:token}, the group astro.oauth2.* and the producer's"
                        + " buffer.memory are fine."));
    }

    @Test
    void headingAnchorsAreGitHubs() {
        assertEquals(List.of("install-into-an-existing-connect-cluster", "oauth2-tokens-and-refresh",
                        "astrourl-and-the-token", "faq", "faq-1"),
                new ArrayList<>(MarkdownAnchors.of("## Install into an existing Connect cluster\n"
                        + "### OAuth2: tokens, and refresh\n## `astro.url` and the token\n## FAQ\n```\n# not a heading\n```\n"
                        + "## FAQ\n")));
    }

    private static Set<String> undefinedKeys(String text) {
        Set<String> defined = new HashSet<>(AstroSourceConnectorConfig.CONFIG_DEF.names());
        Set<String> known = new HashSet<>(defined);
        known.addAll(SourceConnectorConfig.configDef().names());
        known.addAll(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        known.addAll(stringsInTheCode());
        Set<String> undefined = new TreeSet<>();
        Matcher key = OWN_KEY.matcher(text);
        while (key.find()) {
            String name = key.group(1);
            boolean prefixOfKeys = defined.stream().anyMatch(k -> k.startsWith(name + "."));
            boolean shapeOfNoKey = name.startsWith("astro.channel.") || name.endsWith(".com")
                    || NOT_KEYS.contains(name);
            if (!known.contains(name) && !prefixOfKeys && !shapeOfNoKey) {
                undefined.add(name);
            }
        }
        return undefined;
    }

    private static Set<String> codeStrings;

    /** String literals in the connector's code of the connector's namespaces: record headers, MBean domains. */
    private static synchronized Set<String> stringsInTheCode() {
        if (codeStrings == null) {
            Set<String> found = new HashSet<>();
            Pattern literal = Pattern.compile("\"((?:astro|kafka\\.connect\\.astro)[a-z0-9_.-]*)\"");
            for (Path source : walk(Path.of("src/main/java"), ".java")) {
                Matcher m = literal.matcher(read(source));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
            codeStrings = found;
        }
        return codeStrings;
    }

    private static List<Path> walk(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
