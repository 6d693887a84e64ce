package io.github.kafkaconnectastro;

import io.github.kafkaconnectastro.config.AstroAuthConfig;
import io.github.kafkaconnectastro.config.AstroReliabilityConfig;
import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.config.AstroSourceTaskConfig;
import io.github.kafkaconnectastro.config.AstroSubscriptionsConfig;
import io.github.kafkaconnectastro.config.Validators;
import io.github.kafkaconnectastro.connector.ProbeValidation;
import io.github.kafkaconnectastro.connector.ValidationLogContext;
import io.github.kafkaconnectastro.connector.Version;

import io.github.kafkaconnectastro.auth.CredentialOffsets;
import io.github.kafkaconnectastro.offsets.SourceOffsets;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Streams StreamElements Astro notifications into Kafka. Splits the configured (topic, room) pairs evenly over
 * at most {@code tasks.max} tasks; each task holds one websocket session to the gateway.
 */
public class AstroSourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(AstroSourceConnector.class);

    private Map<String, String> props;
    private List<Subscription> subscriptions;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        AstroSourceConnectorConfig config = new AstroSourceConnectorConfig(props);
        config.requireCredentials();
        this.props = new HashMap<>(props);
        this.subscriptions = config.subscriptions();
        if (props.containsKey(AstroReliabilityConfig.DEPRECATED_SUBSCRIPTION_ERROR_POLICY)) {
            log.warn("{} is the former name of {} (Connect owns errors.*); {}. Rename it in the configuration.",
                    AstroReliabilityConfig.DEPRECATED_SUBSCRIPTION_ERROR_POLICY,
                    AstroReliabilityConfig.SUBSCRIPTION_ERROR_POLICY,
                    props.containsKey(AstroReliabilityConfig.SUBSCRIPTION_ERROR_POLICY.name())
                            ? "it is ignored, as the new key is set" : "its value is used meanwhile");
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AstroSourceTask.class;
    }

    /** Each task gets the same configuration with its own share of {@code astro.subscriptions}. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int groups = Math.min(maxTasks, subscriptions.size());
        List<List<Subscription>> shares = ConnectorUtils.groupPartitions(subscriptions, groups);
        List<Map<String, String>> configs = new ArrayList<>(groups);
        for (int i = 0; i < shares.size(); i++) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(AstroSubscriptionsConfig.SUBSCRIPTIONS.name(),
                    shares.get(i).stream().map(Subscription::toString).collect(Collectors.joining(",")));
            taskProps.put(AstroSourceTaskConfig.TASK_ID.name(), Integer.toString(i));
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Tasks own every resource; the connector holds only its configuration.
    }

    @Override
    public ConfigDef config() {
        return AstroSourceConnectorConfig.CONFIG_DEF;
    }

    /**
     * Checks the configuration's shape; then, when {@code astro.validate.probe.enabled} is true and nothing else is
     * wrong, asks the gateway whether the token may subscribe each pair.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        try (ValidationLogContext ignored = ValidationLogContext.enter(connectorConfigs.get("name"))) {
            Config config = validateShape(connectorConfigs);
            ProbeValidation.check(connectorConfigs, config);
            return config;
        }
    }

    /** Adds the checks that involve more than one key to the per-key ones. */
    private Config validateShape(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, Object> parsed = new HashMap<>();
        for (ConfigValue value : config.configValues()) {
            if (value.errorMessages().isEmpty()) {
                parsed.put(value.name(), value.value());
            }
        }
        Map<String, String> problems = Validators.crossFieldProblems(parsed);
        for (ConfigValue value : config.configValues()) {
            String problem = problems.get(value.name());
            if (problem != null) {
                value.addErrorMessage(problem);
            }
        }
        return config;
    }

    /**
     * Offsets are written with the records they follow (each pair's highest ids and, on repaired pairs, the event
     * ids last written; the OAuth2 credential on its own partition: {@link SourceOffsets}), and nothing the task
     * does depends on when Connect commits them, so the worker's exactly-once support applies as is.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts partitions {topic, room} with offsets of the shape the task writes ({@link SourceOffsets#checkOffset}:
     * id, ts, recent, and on repaired pairs events, events.floor, events.ts), and a null offset (reset) always. The
     * OAuth2 credential partition is the connector's own: no offset may be set on it, and while the connector uses
     * OAuth2 it may not be reset either, as Connect does for every partition on {@code DELETE
     * /connectors/<name>/offsets}: it holds the only refresh token left that works.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            if (CredentialOffsets.isCredentialPartition(entry.getKey())) {
                checkCredentialChange(connectorConfig, entry.getKey(), entry.getValue());
                continue;
            }
            try {
                Subscription pair = SourceOffsets.checkPartition(entry.getKey());
                SourceOffsets.checkOffset(pair, entry.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConnectException("Cannot alter offsets: " + e.getMessage());
            }
        }
        return true;
    }

    private static void checkCredentialChange(Map<String, String> connectorConfig, Map<String, ?> partition,
                                              Map<String, ?> offset) {
        if (offset != null) {
            throw new ConnectException("Cannot alter offsets: the partition " + partition + " holds the "
                    + "connector's encrypted OAuth2 tokens; no offset can be set on it");
        }
        String refreshToken = connectorConfig.get(AstroAuthConfig.REFRESH_TOKEN.name());
        if (refreshToken != null && !refreshToken.isBlank()) {
            String name = connectorConfig.getOrDefault("name", "<name>");
            throw new ConnectException("Cannot reset offsets: the partition " + partition + " holds the "
                    + "connector's OAuth2 refresh token (encrypted), the only one left that works, as the token "
                    + "endpoint replaces a refresh token on each use; without it task 0 would present "
                    + AstroAuthConfig.REFRESH_TOKEN + " again, which is spent. Nothing was changed. To reset the "
                    + "pairs, PATCH /connectors/" + name + "/offsets with \"offset\": null for each "
                    + "{\"topic\", \"room\"} partition that GET /connectors/" + name + "/offsets lists; to start "
                    + "from a new refresh token, set " + AstroAuthConfig.REFRESH_TOKEN + " to it (the connector "
                    + "uses a changed one instead of the kept one).");
        }
    }
}
