package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;

import java.util.Map;

/**
 * A task's configuration: the connector's, plus what the connector sets for each task (as Kafka's own
 * {@code MirrorSourceTaskConfig} does). Not part of the user-facing reference.
 */
public final class AstroSourceTaskConfig extends AstroSourceConnectorConfig {

    /** The task's index among the connector's tasks; set by the connector when it splits the pairs into tasks. */
    public static final Key<Integer> TASK_ID = Key.intValue("astro.task.id")
            .withValidator(Range.atLeast(0)).withImportance(Importance.LOW)
            .withDoc("The task's index, set by the connector.");

    static final ConfigDef TASK_CONFIG_DEF = taskConfigDef();

    public AstroSourceTaskConfig(Map<?, ?> originals) {
        super(TASK_CONFIG_DEF, originals);
    }

    private static ConfigDef taskConfigDef() {
        ConfigDef def = configDef();
        TASK_ID.define(def, null, -1);
        return def;
    }

    public int taskId() {
        return get(TASK_ID);
    }
}
