package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;

/**
 * A value of the tip totals topic: a channel's tips in one currency during one minute. The window's bounds are
 * ISO-8601 instants in UTC, start inclusive, end exclusive. The fields are written in this order: what a reader
 * looks for first comes first, so that it shows in a value cut to a terminal's width (as the quick start prints it).
 *
 * <p>{@code repaired} is true on a correction: one tip the connector repaired from the REST API, to be added to the
 * minute's total. It is left out of the minute's own, final record.
 */
record TipTotal(String currency, BigDecimal total, long tips, String windowStart, String windowEnd, String channel,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean repaired) {

    /** A closed minute's total of the tips received live. */
    TipTotal(String currency, BigDecimal total, long tips, String windowStart, String windowEnd, String channel) {
        this(currency, total, tips, windowStart, windowEnd, channel, null);
    }
}
