package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;

/**
 * The token a session subscribes with, which may change while the session runs (an OAuth2 access token is
 * refreshed). The session sends whatever {@link #token()} holds at the time of each subscribe, and replaces its
 * connection make-before-break when {@link #version()} moves on. The token stays a {@link Password}, so that
 * printing it by mistake shows {@code [hidden]}.
 */
public interface Credentials {

    /** The token to subscribe with now. */
    Password token();

    TokenType type();

    /** Grows whenever {@link #token()} changes; a session compares it to learn that a new token is to be used. */
    default long version() {
        return 0;
    }

    /**
     * Called on the session's thread after the gateway refused {@code refused} with {@code err_unauthorized}: tries
     * once to obtain another token (a refresh). Blocks for at most the time one refresh takes.
     *
     * @return true when {@link #token()} now holds a token other than {@code refused}, worth subscribing with
     */
    default boolean renewAfterRefusal(Password refused) {
        return false;
    }

    /** What a user whose token was refused should check, ending with a full stop; never the token. */
    default String refusalHint() {
        return "Check astro.token and astro.token.type, and that the token's account may read this topic for this "
                + "room.";
    }
}
