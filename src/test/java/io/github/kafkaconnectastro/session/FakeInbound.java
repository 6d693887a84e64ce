package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.Inbound;

/** A connection as the {@link FrameRouter} sees it, for tests that feed the router frames without a socket. */
final class FakeInbound implements Inbound {
    volatile boolean waiting;
    volatile boolean retired;

    @Override
    public void readerWaiting(boolean value) {
        waiting = value;
    }

    @Override
    public boolean readerWaiting() {
        return waiting;
    }

    @Override
    public boolean retired() {
        return retired;
    }

    @Override
    public void markAlive() {
    }
}
