package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A value of the follows topic: how many follows a channel had during one minute. The window's bounds are ISO-8601
 * instants in UTC, start inclusive, end exclusive. Fields in the order of {@link TipTotal}'s, {@code repaired} as
 * there: true on a correction (one repaired follow, to add to the minute's count).
 */
record FollowCount(long follows, String windowStart, String windowEnd, String channel,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean repaired) {

    /** A closed minute's count of the follows received live. */
    FollowCount(long follows, String windowStart, String windowEnd, String channel) {
        this(follows, windowStart, windowEnd, channel, null);
    }
}
