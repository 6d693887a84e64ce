package io.github.kafkaconnectastro.gaps;

/**
 * A REST request that got no usable answer. The message names the status and what to check, never the token.
 */
final class RestFailure extends Exception {

    /** The status of a request that got no HTTP answer at all. */
    static final int NO_ANSWER = 0;

    private final int status;
    private final long retryAfterMs;
    private final RunawayCause runaway;

    /**
     * @param status       the HTTP status, or {@link #NO_ANSWER}
     * @param retryAfterMs the server's {@code Retry-After} in ms, or -1 when it sent none
     */
    RestFailure(int status, long retryAfterMs, String message) {
        this(status, retryAfterMs, null, message);
    }

    private RestFailure(int status, long retryAfterMs, RunawayCause runaway, String message) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.runaway = runaway;
    }

    /** The endpoint went beyond the repair's bounds: not retried, as it would do the same again. */
    static RestFailure runaway(RunawayCause cause, String message) {
        return new RestFailure(200, -1, cause, message);
    }

    /** Why the endpoint was stopped as a runaway; null for any other failure. */
    RunawayCause runaway() {
        return runaway;
    }

    int status() {
        return status;
    }

    long retryAfterMs() {
        return retryAfterMs;
    }

    /** 429, a 5xx and no answer are worth another try; any other status will not change by waiting. */
    boolean retryable() {
        return runaway == null && (status == NO_ANSWER || status == 429 || status >= 500);
    }

    /** The key it is counted under in {@code RestErrorsByStatus}: the status, {@code io}, or a runaway's cause. */
    String metricKey() {
        if (runaway != null) {
            return runaway.key();
        }
        return status == NO_ANSWER ? "io" : Integer.toString(status);
    }
}
