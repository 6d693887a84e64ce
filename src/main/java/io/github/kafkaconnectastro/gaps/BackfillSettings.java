package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What gap repair needs from the configuration.
 *
 * @param enabled         {@code astro.backfill.enabled}
 * @param restUrl         {@code astro.rest.url}, the v2 base such as {@code https://api.streamelements.com/kappa/v2}
 * @param token           the same token as the subscriptions', so that both see the same channel: read at each
 *                        request, as an OAuth2 access token is renewed while the task runs (null while there is none)
 * @param margin          {@code astro.backfill.margin.ms}: how far the window reaches beyond each end of a gap
 * @param maxAge          {@code astro.backfill.max.age.ms}: nothing older is searched
 * @param maxRecords      {@code astro.backfill.max.records}: the most events written for one gap
 * @param requestInterval {@code astro.backfill.request.interval.ms}: the least time between two REST requests
 * @param queueCapacity   how many repaired events may wait for {@code poll()}: the repair's share of the buffer
 */
public record BackfillSettings(boolean enabled, URI restUrl, Supplier<Password> token, TokenType tokenType,
                               Duration margin,
                               Duration maxAge, int maxRecords, Duration requestInterval, int queueCapacity) {

    /** The same settings, the token read from {@code token} instead: the task's credentials, renewed or not. */
    public BackfillSettings withToken(Supplier<Password> token) {
        return new BackfillSettings(enabled, restUrl, token, tokenType, margin, maxAge, maxRecords, requestInterval,
                queueCapacity);
    }

    /** Without the token, which is a secret. */
    @Override
    public String toString() {
        return "BackfillSettings[enabled=" + enabled + ", restUrl=" + restUrl + ", margin=" + margin + ", maxAge="
                + maxAge + ", maxRecords=" + maxRecords + ", requestInterval=" + requestInterval + "]";
    }
}
