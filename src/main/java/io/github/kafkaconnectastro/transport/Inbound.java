package io.github.kafkaconnectastro.transport;

/**
 * The connection a frame came from, as the session's frame router sees it: each connection has its own reader
 * thread, so what the router notes about a reader is noted per connection.
 */
public interface Inbound {

    /** Notes that this connection's reader waits, or no longer waits, for room in the buffer. */
    void readerWaiting(boolean waiting);

    /** True while this connection's reader waits for room in the buffer. */
    boolean readerWaiting();

    /**
     * True once the session has given this connection up (replaced, or closing): its reader must not wait for
     * room in the buffer any longer, or it would be left behind for as long as Kafka is slow.
     */
    boolean retired();

    /** Counts the time spent waiting on a full buffer as alive: the silence is ours, not the server's. */
    void markAlive();
}
