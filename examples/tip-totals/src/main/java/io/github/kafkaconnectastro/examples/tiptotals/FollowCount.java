package io.github.kafkaconnectastro.examples.tiptotals;

/**
 * A value of the follows topic: how many follows a channel had during one minute. The window's bounds are ISO-8601
 * instants in UTC, start inclusive, end exclusive. Fields in the order of {@link TipTotal}'s.
 */
record FollowCount(long follows, String windowStart, String windowEnd, String channel) {
}
