package io.github.kafkaconnectastro.connector;

import org.slf4j.MDC;

/**
 * Connect gives {@code validate()} no logging context of its own (it runs on a herder pool thread), unlike a
 * connector's or task's other calls; this sets Connect's {@code connector.context} in Connect's own format,
 * {@code [<name>|validate] }, for the validation's lines, including those of the sockets the probe opens.
 * A context already present is left as it is.
 */
public final class ValidationLogContext implements AutoCloseable {

    static final String CONNECTOR_CONTEXT = "connector.context";

    private final boolean set;

    private ValidationLogContext(boolean set) {
        this.set = set;
    }

    /** @param connectorName the {@code name} of the validated configuration; null when it has none */
    public static ValidationLogContext enter(String connectorName) {
        if (MDC.get(CONNECTOR_CONTEXT) != null) {
            return new ValidationLogContext(false);
        }
        MDC.put(CONNECTOR_CONTEXT, "[" + (connectorName == null || connectorName.isBlank() ? "unnamed" : connectorName)
                + "|validate] ");
        return new ValidationLogContext(true);
    }

    @Override
    public void close() {
        if (set) {
            MDC.remove(CONNECTOR_CONTEXT);
        }
    }
}
