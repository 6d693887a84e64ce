package io.github.kafkaconnectastro.emulator;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the emulated gateway accepts: valid tokens with their own channel, canonical room names, the
 * failures tests have scheduled for particular subscriptions, and whether responses name the room.
 * Shared between the test thread (which configures it) and the server's worker threads (which
 * consult it).
 */
final class GatewayRules {

    private final Map<String, String> ownRoomByToken = new ConcurrentHashMap<>();
    /** When each token that expires does; a token not here never expires. */
    private final Map<String, Instant> expiryByToken = new ConcurrentHashMap<>();
    private final Map<String, String> canonicalByAlias = new ConcurrentHashMap<>();
    private final Map<Subscription, String> permanentFailures = new ConcurrentHashMap<>();
    private final Map<Subscription, CountedFailure> countedFailures = new HashMap<>();
    private volatile boolean echoRoomInResponses;

    private static final class CountedFailure {
        final String errorCode;
        int remaining;

        CountedFailure(String errorCode, int remaining) {
            this.errorCode = errorCode;
            this.remaining = remaining;
        }
    }

    void acceptToken(String token, String ownRoom) {
        ownRoomByToken.put(token, ownRoom);
    }

    /** Accepts a token until {@code expiresAt}; from then on a subscribe with it is refused. */
    void acceptTokenUntil(String token, String ownRoom, Instant expiresAt) {
        expiryByToken.put(token, expiresAt);
        ownRoomByToken.put(token, ownRoom);
    }

    /** The channel a token belongs to, or null if the token is not valid (unknown, or expired). */
    String ownRoom(String token) {
        if (token == null) {
            return null;
        }
        Instant expiry = expiryByToken.get(token);
        return expiry != null && !Instant.now().isBefore(expiry) ? null : ownRoomByToken.get(token);
    }

    void aliasRoom(String alias, String canonical) {
        canonicalByAlias.put(alias, canonical);
    }

    String canonicalRoom(String requested) {
        return canonicalByAlias.getOrDefault(requested, requested);
    }

    /**
     * Whether success responses carry {@code data.room}. Off by default: neither gateway document
     * shows a room there, so a client must not depend on it; some gateway versions add it.
     */
    void echoRoomInResponses(boolean echo) {
        echoRoomInResponses = echo;
    }

    boolean echoesRoomInResponses() {
        return echoRoomInResponses;
    }

    void failAlways(Subscription subscription, String errorCode) {
        if (errorCode == null) {
            permanentFailures.remove(subscription);
        } else {
            permanentFailures.put(subscription, errorCode);
        }
    }

    synchronized void failNext(Subscription subscription, String errorCode, int times) {
        if (times <= 0) {
            countedFailures.remove(subscription);
        } else {
            countedFailures.put(subscription, new CountedFailure(errorCode, times));
        }
    }

    synchronized void clearFailures() {
        permanentFailures.clear();
        countedFailures.clear();
    }

    /**
     * The error a subscribe to this pair must get now, or null to let it succeed. A counted failure
     * is used up by this call; it takes precedence over a permanent one so a test can stack them.
     */
    synchronized String failureFor(Subscription subscription) {
        CountedFailure counted = countedFailures.get(subscription);
        if (counted != null) {
            if (--counted.remaining <= 0) {
                countedFailures.remove(subscription);
            }
            return counted.errorCode;
        }
        return permanentFailures.get(subscription);
    }
}
