package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * A tip as the totals need it, read from a record value the connector wrote to {@code astro.channel.tips} in its
 * typed shape (JsonConverter, {@code schemas.enable=false}): {@code data.donation.currency} and
 * {@code data.donation.amount}.
 */
record Tip(String currency, BigDecimal amount) {

    /**
     * The tip in a record value.
     *
     * @throws Unreadable when the value holds no typed tip: the reason, for the log line that says it was skipped
     */
    static Tip from(JsonNode value) throws Unreadable {
        if (value == null) {
            throw new Unreadable("the value is null");
        }
        if (!value.isObject()) {
            throw new Unreadable("the value is not a JSON object");
        }
        JsonNode data = value.path("data");
        if (data.isTextual()) {
            throw new Unreadable("the record is in the raw shape (data is JSON text): set the connector's "
                    + "astro.value.format=typed");
        }
        if (!data.isObject()) {
            throw new Unreadable(value.path("raw").isTextual()
                    ? "the payload did not fit the connector's schema (raw is set; header astro.value.misfit says why)"
                    : "data is missing");
        }
        JsonNode donation = data.path("donation");
        JsonNode amount = donation.path("amount");
        JsonNode currency = donation.path("currency");
        if (!amount.isNumber()) {
            throw new Unreadable("data.donation.amount is missing or not a number");
        }
        if (!currency.isTextual() || currency.asText().isBlank()) {
            throw new Unreadable("data.donation.currency is missing");
        }
        return new Tip(currency.asText(), amount.decimalValue());
    }

    /** Why a record value holds no tip. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            // An expected outcome for bad input, not a fault: no stack trace to fill.
            super(reason, null, false, false);
        }
    }
}
