package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.records.ValueFormat;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Arrays;

/**
 * The keys of the "Output" group that shape a record's value: typed or raw, and whether personal data is written.
 * docs/records.md shows the records each choice gives.
 */
final class AstroRecordsConfig {

    static final String VALUE_FORMAT_CONFIG = "astro.value.format";
    static final String VALUE_FORMAT_DEFAULT = ValueFormat.TYPED.configValue();
    private static final String VALUE_FORMAT_DOC = "The shape of a notification record's value. typed (default): "
            + "one named schema per documented Astro topic (channel.activities, channel.tips, ...), the payload as "
            + "a struct with times as Timestamp and amounts as numbers; fields the schema does not know are kept "
            + "as JSON text in extra, and a payload that does not fit its schema is kept whole as JSON text in raw "
            + "(header astro.value.misfit says why, metric PayloadMisfits counts it). Topics with no documented "
            + "shape are written raw. raw: the 0.x shape, one schema for every topic with the payload as JSON "
            + "text in data. See docs/records.md.";

    static final String PERSONAL_DATA_CONFIG = "astro.personal.data";
    static final String PERSONAL_DATA_OMIT = "omit";
    static final String PERSONAL_DATA_INCLUDE = "include";
    private static final String PERSONAL_DATA_DOC = "Whether a tip donor's e-mail address, country (geo) and IP "
            + "address are written (channel.tips, channel.tips.moderation), in either value format. omit (default): "
            + "left out of data, extra and raw alike. include: written as the gateway sends them; then the Kafka "
            + "topics hold personal data, with the duties that brings. See docs/records.md.";

    private AstroRecordsConfig() {
    }

    /** Adds the keys to the Output group, after the group's other keys. */
    static void addTo(ConfigDef def, String group, int order) {
        def.define(VALUE_FORMAT_CONFIG, Type.STRING, VALUE_FORMAT_DEFAULT,
                ConfigDef.CaseInsensitiveValidString.in(Arrays.stream(ValueFormat.values())
                        .map(ValueFormat::configValue).toArray(String[]::new)),
                Importance.MEDIUM, VALUE_FORMAT_DOC, group, ++order, Width.SHORT, "Value format");
        def.define(PERSONAL_DATA_CONFIG, Type.STRING, PERSONAL_DATA_OMIT,
                ConfigDef.CaseInsensitiveValidString.in(PERSONAL_DATA_OMIT, PERSONAL_DATA_INCLUDE),
                Importance.MEDIUM, PERSONAL_DATA_DOC, group, ++order, Width.SHORT, "Personal data");
    }
}
