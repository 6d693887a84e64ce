package io.github.kafkaconnectastro.examples.tiptotals;

import java.math.BigDecimal;

/**
 * A value of the tip totals topic: a channel's tips in one currency during one minute. The window's bounds are
 * ISO-8601 instants in UTC, start inclusive, end exclusive. The fields are written in this order: what a reader
 * looks for first comes first, so that it shows in a value cut to a terminal's width (as the quick start prints it).
 */
record TipTotal(String currency, BigDecimal total, long tips, String windowStart, String windowEnd, String channel) {
}
