package io.github.kafkaconnectastro.bench;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Connect's own ceiling in the benchmark: a source whose task hands Connect records the benchmark built before the
 * round ({@link CeilingSourceTask}), the same records the connector would write, so that what is left is the
 * worker's cost (converters, headers, producer, offsets) on this machine. Test-only; listed for the worker's
 * {@code service_load} plugin discovery in the test resources.
 */
public final class CeilingSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CeilingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public String version() {
        return "bench";
    }
}
