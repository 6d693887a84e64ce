package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Warns that a token the connector cannot renew itself is about to expire: once when less than 7 days are left,
 * again each day; once when less than 1 day is left, again each hour; and, once it has expired, each hour. Called as
 * often as convenient (every {@code poll()}); the rate limit keeps the log quiet.
 */
public final class ExpiryWarnings {

    static final Duration FIRST_WARNING = Duration.ofDays(7);
    static final Duration LAST_WARNING = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(ExpiryWarnings.class);

    private final String what;
    private final RateLimitedLog daily = new RateLimitedLog(Duration.ofDays(1).toMillis());
    private final RateLimitedLog hourly = new RateLimitedLog(Duration.ofHours(1).toMillis());

    /** @param what the token's key, as the user knows it, e.g. {@code astro.token} */
    public ExpiryWarnings(String what) {
        this.what = what;
    }

    /** Logs a warning when one is due; {@code expiry} null means unknown, which is never warned about. */
    public void check(Instant expiry, Instant now, long nowNanos) {
        if (expiry == null) {
            return;
        }
        Duration left = Duration.between(now, expiry);
        if (left.compareTo(FIRST_WARNING) >= 0) {
            return;
        }
        String kind = expiry.toString();
        if (left.isNegative() || left.isZero()) {
            if (hourly.admit("expired-" + kind, nowNanos) >= 0) {
                log.warn("{} expired at {}: every subscribe with it is refused. Renew it at {} (Show secrets) and "
                        + "update {}", what, expiry, TokenRenewal.DASHBOARD_URL, what);
            }
        } else if (left.compareTo(LAST_WARNING) < 0) {
            if (hourly.admit("1d-" + kind, nowNanos) >= 0) {
                log.warn("{} expires at {}, in {} h: renew it at {} (Show secrets) and update {}, or the task fails "
                        + "then", what, expiry, left.toHours(), TokenRenewal.DASHBOARD_URL, what);
            }
        } else if (daily.admit("7d-" + kind, nowNanos) >= 0) {
            log.warn("{} expires at {}, in {} days: renew it at {} (Show secrets) and update {}", what, expiry,
                    left.toDays(), TokenRenewal.DASHBOARD_URL, what);
        }
    }
}
