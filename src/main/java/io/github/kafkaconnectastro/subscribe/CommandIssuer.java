package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.util.SafeText;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Issues the commands of one client under the gateway's rules, for the task's {@link SubscriptionTracker} and the
 * validation probe alike: a nonce of its own for each command, so that its answer can be matched; a permit from a
 * {@link CommandPacer} before each one; a pause after {@code rate_limit_exceeded}. Used by one thread; the pacer
 * it draws from may be shared with the worker's other tasks.
 */
public final class CommandIssuer {

    private final SubscribeSettings settings;
    private final String noncePrefix;
    private long nonceCounter;
    private CommandPacer pacer;

    /**
     * @param nonceTag starts every nonce, before a random part that keeps this client's nonces apart from those of
     *                 an earlier one
     */
    public CommandIssuer(SubscribeSettings settings, String nonceTag, long nowNanos) {
        this.settings = settings;
        this.noncePrefix = nonceTag + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
        this.pacer = newPacer(nowNanos);
    }

    /**
     * Starts pacing afresh, for a new connection or a new round of commands: with the worker's pacer for the
     * gateway host when tasks share one, as it is; otherwise with a full one of its own.
     */
    public void restartPacing(long nowNanos) {
        pacer = newPacer(nowNanos);
    }

    public String nextNonce() {
        return noncePrefix + (++nonceCounter);
    }

    /** Takes a permit for one command if one is free now. */
    public boolean tryAcquire(long nowNanos) {
        return pacer.tryAcquire(nowNanos);
    }

    /** Nanoseconds until the next command may go (zero when it may go now). */
    public long nanosUntilPermit(long nowNanos) {
        return pacer.nanosUntilPermit(nowNanos);
    }

    /** A command was answered: unless with a rate-limit refusal, the pacer wins back some of its rate. */
    public void answered(AstroMessage.Response response) {
        if (!SubscribeAnswer.isRateLimit(response)) {
            pacer.accepted();
        }
    }

    /**
     * The gateway answered {@code rate_limit_exceeded}: no command for {@link SubscribeSettings#rateLimitPauseMs()},
     * then at a lower rate.
     *
     * @return the pause in milliseconds
     */
    public long pauseAfterRateLimit(long nowNanos) {
        long pauseMs = settings.rateLimitPauseMs();
        pacer.pause(nowNanos, TimeUnit.MILLISECONDS.toNanos(pauseMs));
        return pauseMs;
    }

    /** The gateway's description in an answer, fit for a log line or a validation message: never the token. */
    public String serverText(String message) {
        return SafeText.serverText(message, settings.token());
    }

    private CommandPacer newPacer(long nowNanos) {
        CommandPacer shared = settings.sharedPacer();
        return shared != null ? shared
                : new CommandPacer(settings.commandBurst(), settings.commandInterval().toMillis(), nowNanos);
    }
}
