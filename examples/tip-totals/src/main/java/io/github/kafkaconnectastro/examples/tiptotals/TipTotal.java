package io.github.kafkaconnectastro.examples.tiptotals;

import java.math.BigDecimal;

/**
 * A value of the tip totals topic: a channel's tips in one currency during one minute. The window's bounds are
 * ISO-8601 instants in UTC, start inclusive, end exclusive.
 */
record TipTotal(String channel, String currency, String windowStart, String windowEnd, BigDecimal total, long tips) {
}
