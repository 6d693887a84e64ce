package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.config.AstroConnectionConfig;
import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.config.AstroSubscriptionsConfig;

import io.github.kafkaconnectastro.protocol.ErrorCode;
import io.github.kafkaconnectastro.connector.ProbeReport;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.connector.SubscriptionProbe;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The optional live part of {@code validate()} ({@code astro.validate.probe.enabled}): runs a
 * {@link SubscriptionProbe} and reports each refusal on the key the user has to change. Runs only on a
 * configuration without errors, so the probe never starts from a half-valid one.
 */
public final class ProbeValidation {

    private static final Logger log = LoggerFactory.getLogger(ProbeValidation.class);

    private ProbeValidation() {
    }

    public static void check(Map<String, String> connectorConfigs, Config config) {
        for (ConfigValue value : config.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                return;
            }
        }
        AstroSourceConnectorConfig parsed = new AstroSourceConnectorConfig(connectorConfigs);
        if (!parsed.validateProbeEnabled()) {
            return;
        }
        if (parsed.oauth2()) {
            // An access token would take a refresh, which replaces the refresh token the tasks are to start from.
            log.info("Skipping the validation probe: with astro.oauth2.* it would have to use up the refresh token");
            return;
        }
        ProbeReport report = SubscriptionProbe.run(parsed.sessionSettings(), parsed.subscriptions());
        if (report.connectFailure() != null) {
            add(config, AstroConnectionConfig.URL.name(), "The validation probe ("
                    + AstroConnectionConfig.VALIDATE_PROBE + "=true) could not connect to the gateway: "
                    + report.connectFailure() + ". Check astro.url and the network, or turn the probe off.");
            return;
        }
        for (Map.Entry<Subscription, ProbeReport.Answer> entry : report.pairs().entrySet()) {
            ProbeReport.Answer answer = entry.getValue();
            if (answer.verdict() != ProbeReport.Verdict.REFUSED) {
                continue;
            }
            String refusal = "The gateway refused the subscription " + entry.getKey() + " with " + answer.code()
                    + " (" + answer.message() + ").";
            if (ErrorCode.of(answer.code()) == ErrorCode.UNAUTHORIZED) {
                add(config, AstroConnectionConfig.TOKEN.name(), refusal + " The token is invalid or expired, "
                        + "of another kind than astro.token.type, or its account may not read this topic for this room.");
            } else {
                add(config, AstroSubscriptionsConfig.SUBSCRIPTIONS.name(), refusal + " Check the topic and room, and "
                        + "that the gateway's subscription limit is not exceeded.");
            }
        }
    }

    private static void add(Config config, String key, String message) {
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(key)) {
                value.addErrorMessage(message);
                return;
            }
        }
    }
}
