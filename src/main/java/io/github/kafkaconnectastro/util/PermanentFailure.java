package io.github.kafkaconnectastro.util;

/**
 * A failure the session cannot recover from; its message is what the user reads in the task's status, so it
 * names what to fix and never holds the token. No stack trace: the message says it all.
 */
public final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message, null, false, false);
    }
}
