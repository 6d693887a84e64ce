package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.Map;

/**
 * A task's configuration: the connector's, plus what the connector sets for each task (as Kafka's own
 * {@code MirrorSourceTaskConfig} does). Not part of the user-facing reference.
 */
public final class AstroSourceTaskConfig extends AstroSourceConnectorConfig {

    /** The task's index among the connector's tasks; set by the connector when it splits the pairs into tasks. */
    public static final String TASK_ID_CONFIG = "astro.task.id";

    static final ConfigDef TASK_CONFIG_DEF = configDef()
            .define(TASK_ID_CONFIG, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(0), Importance.LOW,
                    "The task's index, set by the connector.");

    public AstroSourceTaskConfig(Map<?, ?> originals) {
        super(TASK_CONFIG_DEF, originals);
    }

    public int taskId() {
        return getInt(TASK_ID_CONFIG);
    }
}
