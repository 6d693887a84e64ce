package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.Subscription;
import java.util.Map;

/**
 * What a {@link SubscriptionProbe} found: whether the gateway could be reached, and how it answered the subscribe
 * of each pair. Texts in it never contain the token.
 *
 * @param connectFailure why the gateway could not be reached, or null when it could
 * @param pairs          the answer for each pair, in configuration order; empty when the gateway was not reached
 */
public record ProbeReport(String connectFailure, Map<Subscription, Answer> pairs) {

    /** How the gateway answered one subscribe. */
    public enum Verdict {
        /** Subscribed; the pair works with this token. */
        ACCEPTED,
        /** Refused for good ({@code err_unauthorized}, {@code err_bad_request}): the configuration is wrong. */
        REFUSED,
        /** No answer in time, or a temporary error: the probe cannot tell. */
        UNCHECKED
    }

    /**
     * @param code          the gateway's error code; null when accepted or unanswered
     * @param message       the gateway's description of a refusal, or why the pair is unchecked; never the token
     * @param confirmedRoom the canonical room the gateway confirmed; null unless accepted
     */
    public record Answer(Verdict verdict, String code, String message, String confirmedRoom) {

        static Answer accepted(String confirmedRoom) {
            return new Answer(Verdict.ACCEPTED, null, null, confirmedRoom);
        }

        static Answer refused(String code, String message) {
            return new Answer(Verdict.REFUSED, code, message, null);
        }

        static Answer unchecked(String code, String message) {
            return new Answer(Verdict.UNCHECKED, code, message, null);
        }
    }

    public static ProbeReport unreachable(String why) {
        return new ProbeReport(why, Map.of());
    }
}
