package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.records.Delivery;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between the socket's reader thread and the task's {@code poll()}: bounded in deliveries and
 * in bytes. A full buffer makes {@link #put} wait, so a slow Kafka slows the reader instead of growing the heap.
 * A fatal session error travels through it too: {@code poll()} first hands over every delivery that made it in,
 * then throws, so Connect marks the task FAILED without losing what was already received.
 */
public final class NotificationBuffer {

    /** How often a waiting put asks whether to give up, in case nobody wakes it. */
    static final long GIVE_UP_CHECK_MS = 500;

    private final int maxRecords;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
    private long bytes;
    private int waitingPuts;
    private boolean closed;
    private boolean closedWhenFull;
    private ConnectException failure;

    public NotificationBuffer(int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("buffer bounds must be positive");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a delivery, waiting while the buffer is full. A delivery larger than the byte bound is still taken
     * once the buffer is empty, so one large notification cannot stall the session forever.
     *
     * @return false when the buffer was closed before there was room (the task is stopping)
     */
    public boolean put(Delivery delivery) throws InterruptedException {
        return put(delivery, () -> false);
    }

    /**
     * Adds a delivery, waiting while the buffer is full, unless {@code giveUp} says to stop waiting: a reader whose
     * connection was replaced must not wait for as long as Kafka is slow. {@link #wakeWaiters()} makes waiting puts
     * ask {@code giveUp} at once; they also ask it every {@link #GIVE_UP_CHECK_MS} ms.
     *
     * @return false when the buffer was closed, or {@code giveUp} said so, before there was room
     */
    public boolean put(Delivery delivery, BooleanSupplier giveUp) throws InterruptedException {
        int size = delivery.estimatedBytes();
        lock.lockInterruptibly();
        try {
            while (!closed && !deliveries.isEmpty()
                    && (deliveries.size() >= maxRecords || bytes + size > maxBytes)) {
                if (giveUp.getAsBoolean()) {
                    return false;
                }
                waitingPuts++;
                try {
                    notFull.await(GIVE_UP_CHECK_MS, TimeUnit.MILLISECONDS);
                } finally {
                    waitingPuts--;
                }
            }
            if (closed) {
                return false;
            }
            deliveries.addLast(delivery);
            bytes += size;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the puts waiting for room, so that they ask again whether to give up. */
    public void wakeWaiters() {
        lock.lock();
        try {
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private boolean full() {
        return deliveries.size() >= maxRecords || bytes >= maxBytes;
    }

    /**
     * Takes up to {@code max} deliveries, waiting at most {@code timeoutMs} for the first one.
     *
     * @return the deliveries, empty when none arrived in time or the buffer was closed
     * @throws ConnectException the session's fatal error, once every delivery before it has been handed over
     */
    public List<Delivery> poll(int max, long timeoutMs) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lockInterruptibly();
        try {
            while (deliveries.isEmpty() && failure == null && !closed && remaining > 0) {
                remaining = notEmpty.awaitNanos(remaining);
            }
            if (deliveries.isEmpty() && failure != null) {
                throw failure;
            }
            int count = Math.min(max, deliveries.size());
            List<Delivery> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Delivery delivery = deliveries.pollFirst();
                bytes -= delivery.estimatedBytes();
                batch.add(delivery);
            }
            if (count > 0) {
                notFull.signalAll();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Records the session's fatal error; the next {@link #poll} that finds the buffer empty throws it. */
    public void fail(ConnectException error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting thread and refuses further deliveries. */
    public void close() {
        lock.lock();
        try {
            closedWhenFull |= !closed && (waitingPuts > 0 || full());
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when the buffer was full, or a {@link #put} was waiting for room, when {@link #close} was first called:
     * the socket's reader was, or was about to be, blocked, so frames are likely waiting unread on the socket.
     */
    public boolean closedWhenFull() {
        lock.lock();
        try {
            return closedWhenFull;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return deliveries.size();
        } finally {
            lock.unlock();
        }
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    public int maxRecords() {
        return maxRecords;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
