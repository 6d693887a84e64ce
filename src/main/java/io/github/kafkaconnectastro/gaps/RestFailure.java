package io.github.kafkaconnectastro.gaps;

/**
 * A REST request that got no usable answer. The message names the status and what to check, never the token.
 */
final class RestFailure extends Exception {

    /** The status of a request that got no HTTP answer at all. */
    static final int NO_ANSWER = 0;

    private final int status;
    private final long retryAfterMs;

    /**
     * @param status       the HTTP status, or {@link #NO_ANSWER}
     * @param retryAfterMs the server's {@code Retry-After} in ms, or -1 when it sent none
     */
    RestFailure(int status, long retryAfterMs, String message) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }

    int status() {
        return status;
    }

    long retryAfterMs() {
        return retryAfterMs;
    }

    /** 429, a 5xx and no answer are worth another try; any other status will not change by waiting. */
    boolean retryable() {
        return status == NO_ANSWER || status == 429 || status >= 500;
    }

    /** The key it is counted under in {@code RestErrorsByStatus}. */
    String metricKey() {
        return status == NO_ANSWER ? "io" : Integer.toString(status);
    }
}
