package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ConfigurationDocTest {

    private static final Path COMMITTED = Path.of("docs", "configuration.md");

    @Test
    void committedReferenceMatchesConfigDef() throws IOException {
        assertTrue(Files.exists(COMMITTED), COMMITTED + " is missing; run `mvn process-classes -Ddocs.dir=docs` and commit it");
        List<String> committed = Files.readAllLines(COMMITTED, StandardCharsets.UTF_8);
        List<String> generated = ConfigurationDoc.markdown().lines().toList();
        if (!generated.equals(committed)) {
            int line = 0;
            while (line < Math.min(generated.size(), committed.size())
                    && generated.get(line).equals(committed.get(line))) {
                line++;
            }
            fail(COMMITTED + " is stale: it differs from the ConfigDef at line " + (line + 1) + " (committed: "
                    + lineOrEnd(committed, line) + ", generated: " + lineOrEnd(generated, line) + "). Run "
                    + "`mvn process-classes -Ddocs.dir=docs` to regenerate it and commit the result.");
        }
    }

    @Test
    void listsEveryKeyOnceUnderItsGroupInOrder() {
        String md = ConfigurationDoc.markdown();
        int previousGroup = -1;
        for (String group : AstroSourceConnectorConfig.CONFIG_DEF.groups()) {
            int at = md.indexOf("\n## " + group + "\n");
            assertTrue(at > previousGroup, "group " + group + " missing or out of order");
            previousGroup = at;
        }
        for (String name : AstroSourceConnectorConfig.CONFIG_DEF.names()) {
            String heading = "\n### `" + name + "`\n";
            assertTrue(md.contains(heading), name + " is not documented");
            assertEquals(md.indexOf(heading), md.lastIndexOf(heading), name + " is documented twice");
        }
        assertTrue(md.indexOf("`" + AstroConnectionConfig.URL.name() + "`")
                < md.indexOf("`" + AstroConnectionConfig.TOKEN.name() + "`"), "keys not in orderInGroup order");
        assertFalse(md.contains(AstroSourceTaskConfig.TASK_ID.name()), "internal keys must not be documented");
    }

    @Test
    void showsTypeDefaultValidValuesAndImportance() {
        String md = ConfigurationDoc.markdown();
        String key = section(md, AstroConnectionConfig.CONNECT_TIMEOUT.name());
        assertTrue(key.contains("- Type: long\n"), key);
        assertTrue(key.contains("- Default: `10000` (10 seconds)\n"), key);
        assertTrue(key.contains("- Valid values: [100,...,600000]\n"), key);
        assertTrue(key.contains("- Importance: low\n"), key);
        assertTrue(section(md, AstroConnectionConfig.TOKEN_TYPE.name())
                .contains("- Valid values: [jwt, oauth2, apikey, oauth]\n"));
        assertTrue(section(md, AstroSubscriptionsConfig.SUBSCRIPTIONS.name()).contains("- Default: *required*\n"));
    }

    @Test
    void neverPrintsASecretsDefault() {
        ConfigDef def = new ConfigDef().define("secret.key", Type.PASSWORD, "s3cr3t", Importance.HIGH, "A secret.",
                "Connection", 1, Width.LONG, "Secret");
        String md = ConfigurationDoc.markdown(def);
        assertFalse(md.contains("s3cr3t"), md);
        assertFalse(md.contains("[hidden]"), md);
        assertTrue(md.contains("- Default: *not shown (secret)*\n"), md);
        assertFalse(ConfigurationDoc.markdown().contains("[hidden]"));
    }

    @Test
    void writesTheFileItIsGiven() throws IOException {
        Path dir = Files.createTempDirectory("configuration-doc");
        Path out = dir.resolve("docs").resolve("configuration.md");
        ConfigurationDoc.main(new String[] {out.toString()});
        assertEquals(ConfigurationDoc.markdown(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static String lineOrEnd(List<String> lines, int index) {
        return index < lines.size() ? "\"" + lines.get(index) + "\"" : "end of file";
    }

    private static String section(String md, String name) {
        int start = md.indexOf("\n### `" + name + "`\n");
        assertTrue(start >= 0, name + " is not documented");
        int end = md.indexOf("\n#", start + 1);
        return end < 0 ? md.substring(start) : md.substring(start, end);
    }
}
