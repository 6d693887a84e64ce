package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import io.github.kafkaconnectastro.subscribe.SubscriptionTracker;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import io.github.kafkaconnectastro.util.PermanentFailure;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code err_unauthorized} first asks the credentials for another token, once per refused token; only a
 * refusal they cannot answer fails the pair, with the credentials' own hint (e.g. when a JWT expired).
 */
class UnauthorizedRenewalTest {

    private static final Subscription TIPS = new Subscription("channel.tips", "6183c7d4ebc632abbf809890");
    private static final String UNAUTHORIZED = DocumentExamples.text("seed-response-error-unauthorized.json");
    private static final long T0 = 1_000_000_000L;

    private final AstroCodec codec = new AstroCodec(64);
    private final Map<String, Password> sentWith = new LinkedHashMap<>();
    private final List<Password> renewalsAskedFor = new ArrayList<>();

    /** Credentials that can renew a refused token {@code renewals} times, then say why they cannot. */
    private final class Renewing implements Credentials {
        Password token = new Password("first");
        int renewals;

        Renewing(int renewals) {
            this.renewals = renewals;
        }

        @Override
        public Password token() {
            return token;
        }

        @Override
        public TokenType type() {
            return TokenType.OAUTH2;
        }

        @Override
        public boolean renewAfterRefusal(Password refused) {
            renewalsAskedFor.add(refused);
            if (renewals-- <= 0) {
                return false;
            }
            token = new Password("renewed-" + renewals);
            return true;
        }

        @Override
        public String refusalHint() {
            return "astro.token expired at 2026-01-01T00:00:00Z, renew it at the dashboard.";
        }
    }

    private SubscriptionTracker tracker(Credentials credentials) {
        SessionSettings settings = new AstroSourceConnectorConfig(Map.of("astro.url", "ws://127.0.0.1:1",
                "astro.token", "unused", "astro.subscriptions", TIPS.toString()))
                .sessionSettingsBuilder().credentials(credentials).build();
        SubscriptionTracker tracker = new SubscriptionTracker(List.of(TIPS), settings,
                new Routes(List.of(TIPS), SessionListener.NONE), SessionListener.NONE, new RateLimitedLog(30_000));
        tracker.connectionOpened(T0, false);
        return tracker;
    }

    private String send(SubscriptionTracker tracker, Credentials credentials, long now) {
        int before = sentWith.size();
        tracker.sendDue(now, (nonce, s) -> sentWith.put(nonce, credentials.token()) == null);
        assertEquals(before + 1, sentWith.size(), "no subscribe sent");
        return new ArrayList<>(sentWith.keySet()).get(before);
    }

    private AstroMessage.Response refusal(String nonce) {
        return (AstroMessage.Response) codec.decode(DocumentExamples.with(UNAUTHORIZED, "nonce", nonce));
    }

    @Test
    void aRefusedTokenIsRenewedAndThePairSubscribedAgainWithTheNewOne() {
        Renewing credentials = new Renewing(1);
        SubscriptionTracker tracker = tracker(credentials);
        String first = send(tracker, credentials, T0);
        tracker.onResponse(refusal(first), T0);
        assertEquals(SubscriptionState.PENDING, tracker.state(TIPS));
        String second = send(tracker, credentials, T0 + 1);
        assertEquals(new Password("renewed-0"), sentWith.get(second));
        assertEquals(List.of(new Password("first")), renewalsAskedFor);
    }

    @Test
    void aRefusalTheCredentialsCannotAnswerFailsWithTheirHint() {
        Renewing credentials = new Renewing(1);
        SubscriptionTracker tracker = tracker(credentials);
        tracker.onResponse(refusal(send(tracker, credentials, T0)), T0);
        String second = send(tracker, credentials, T0 + 1);
        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> tracker.onResponse(refusal(second), T0 + 2));
        assertTrue(failure.getMessage().contains("expired at 2026-01-01T00:00:00Z, renew it at"), failure.getMessage());
        assertEquals(List.of(new Password("first"), new Password("renewed-0")), renewalsAskedFor);
    }
}
