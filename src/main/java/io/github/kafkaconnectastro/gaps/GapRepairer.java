package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.offsets.UnrepairedWindows;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionListener;
import io.github.kafkaconnectastro.util.OnDemandThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Repairs the gaps of {@code channel.activities} and {@code channel.tips} pairs from the REST API: after each gap
 * (told by the {@link GapTracker}), it reads the channel's documents created in the gap widened by the margin on
 * both sides, once that window has passed, and hands them to {@code poll()} oldest first, where those already
 * written are dropped by event id. Every other topic's gap is counted as unrepaired at once.
 *
 * <p>It runs on a thread of its own, which exists only while a gap's window waits or is repaired
 * ({@link OnDemandThread}), and hands over through a queue of its own ({@link BackfillSettings#queueCapacity
 * bounded}), so that a slow or failing REST API never holds up live notifications; {@code poll()} takes repaired
 * events only after the live ones. 429, 5xx and no answer are retried with jittered, growing delays (honouring
 * {@code Retry-After}); after {@value WindowReader#MAX_ATTEMPTS} tries, or at once on any other status, the gap is counted as
 * unrepaired and logged. A gap older than {@code astro.backfill.max.age.ms} is cut to it, and one holding more than
 * {@code astro.backfill.max.records} events keeps its oldest: both are logged and counted, never skipped silently.
 * What it does and fails to do is reported to a {@link GapListener}. The windows not repaired yet are kept in the
 * task's {@link UnrepairedWindows}, which the pairs' offsets carry: a window leaves it once its repair's last event
 * was taken by {@code poll()} ({@link RepairedEvent#completes()}) or its repair was given up, so a task stopped
 * before that leaves the window to the next start, which {@linkplain #restore restores} it.
 *
 * <p>A pair's channel id is the room the gateway confirmed for it, else its configured room: the token's own channel
 * (no room configured) has one only once confirmed. The repairer hears of confirmed rooms as a
 * {@link SubscriptionListener} of the session.
 */
public final class GapRepairer implements GapTracker.Repair, SubscriptionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GapRepairer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** How often a put into a full queue checks for a stop. */
    private static final long PUT_CHECK_MS = 200;

    /**
     * One pair's window to search: the gap, widened, possibly several gaps merged.
     *
     * @param coversFromMs where the unrepaired windows it covers begin: before {@code fromMs} when cut to
     *                     astro.backfill.max.age.ms, so that they are done with it all the same
     * @param cutAfterRestart a cut that only a restart's gap made: the time beyond the cut may be a quiet channel's
     *                     silence, so the cut counts as a lost gap only when the repair finds events at it
     */
    private record Window(Subscription subscription, long fromMs, long toMs, boolean cut, long coversFromMs,
                          boolean cutAfterRestart) {
        Window merge(Window other) {
            boolean lostCut = (cut && !cutAfterRestart) || (other.cut && !other.cutAfterRestart);
            return new Window(subscription, Math.min(fromMs, other.fromMs), Math.max(toMs, other.toMs),
                    cut || other.cut, Math.min(coversFromMs, other.coversFromMs), (cut || other.cut) && !lostCut);
        }

        /** The unrepaired windows this one's repair is done with. */
        UnrepairedWindows.Window covered() {
            return new UnrepairedWindows.Window(coversFromMs, toMs, UnrepairedWindows.NO_FLOOR);
        }
    }

    private final BackfillSettings settings;
    private final GapListener listener;
    /** The rooms the gateway confirmed, written by the session's thread, read by the repair's. */
    private final Map<Subscription, String> confirmedRooms = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final WindowReader reader;
    private final RepairBounds bounds;
    private final BlockingQueue<RepairedEvent> ready;
    /** Windows waiting for their end to pass, one per pair; guarded by itself. */
    private final Map<Subscription, Window> waiting = new LinkedHashMap<>();
    /** The windows not repaired yet, which the pairs' offsets carry. */
    private final UnrepairedWindows unrepaired;
    private volatile boolean stopping;
    private final OnDemandThread thread = new OnDemandThread(this::run, STOP_TIMEOUT);
    private final RestClient rest;

    public GapRepairer(BackfillSettings settings, GapListener listener, LongSupplier clock) {
        this(settings, listener, clock, new UnrepairedWindows());
    }

    /** @param unrepaired where the windows not repaired yet are kept, for the pairs' offsets */
    public GapRepairer(BackfillSettings settings, GapListener listener, LongSupplier clock,
                       UnrepairedWindows unrepaired) {
        this(settings, listener, clock, RepairBounds.of(settings.maxRecords()), unrepaired);
    }

    GapRepairer(BackfillSettings settings, GapListener listener, LongSupplier clock, RepairBounds bounds) {
        this(settings, listener, clock, bounds, new UnrepairedWindows());
    }

    private GapRepairer(BackfillSettings settings, GapListener listener, LongSupplier clock, RepairBounds bounds,
                        UnrepairedWindows unrepaired) {
        this.unrepaired = unrepaired;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.bounds = bounds;
        this.rest = new RestClient(settings.restUrl(), settings.token(), settings.tokenType(), bounds);
        this.reader = new WindowReader(rest, listener, clock, settings.requestInterval(), bounds.maxPages(),
                () -> stopping);
        this.ready = new ArrayBlockingQueue<>(Math.max(1, settings.queueCapacity()));
    }

    /** True when a pair's topic has REST history to repair from. */
    public static boolean repairable(Subscription subscription) {
        return RestEndpoint.of(subscription.topic()) != null;
    }

    /** True when this pair's gaps are repaired: repair is on and its topic has REST history. */
    public boolean repairs(Subscription subscription) {
        return settings.enabled() && repairable(subscription);
    }

    /** Names the repair's thread, which runs whenever a gap's window is queued (from now on, or already). */
    public void start(String threadName) {
        thread.start(threadName);
    }

    @Override
    public void confirmedRoom(Subscription subscription, String room) {
        // The session checks the rooms it learns; checked again here as a room becomes part of a request path.
        if (Subscription.learnableRoom(room)) {
            confirmedRooms.put(subscription, room);
        }
    }

    @Override
    public void gapOpened(Subscription subscription, long startMs, long floorMs) {
        if (repairs(subscription)) {
            unrepaired.open(subscription, startMs - settings.margin().toMillis(), floorMs);
        }
    }

    @Override
    public void gapClosed(Subscription subscription, long startMs, long endMs) {
        gapClosed(subscription, startMs, endMs, false);
    }

    @Override
    public void gapClosed(Subscription subscription, long startMs, long endMs, boolean afterRestart) {
        if (!repairs(subscription)) {
            listener.gapUnrepaired(subscription);
            return;
        }
        UnrepairedWindows.Window window = unrepaired.close(subscription, startMs - settings.margin().toMillis(),
                endMs + settings.margin().toMillis());
        enqueue(subscription, window.fromMs(), window.toMs(), startMs, afterRestart);
    }

    /**
     * A window a committed offset carried: the task that wrote it stopped before its repair was written. Repaired
     * as a gap's window is (a window still open at the stop ends at this start, plus the margin), unless it lies
     * wholly beyond {@code astro.backfill.max.age.ms}: then it is given up, counted and logged.
     */
    public void restore(Subscription subscription, UnrepairedWindows.Window window) {
        if (!repairs(subscription)) {
            return;
        }
        long now = clock.getAsLong();
        long oldest = now - settings.maxAge().toMillis();
        // Not later than this start and its margin: a window stamped ahead would wait for ever.
        long to = Math.min(window.toMs(), now + settings.margin().toMillis());
        if (to < oldest) {
            listener.gapUnrepaired(subscription);
            log.warn("The committed offset of {} holds a gap's window from {} to {} that was not repaired before the "
                    + "task stopped, older than astro.backfill.max.age.ms={}: it is not repaired (UnrepairedGaps)",
                    subscription, Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(to),
                    settings.maxAge().toMillis());
            return;
        }
        long from = Math.min(window.fromMs(), to);
        unrepaired.restore(subscription, new UnrepairedWindows.Window(from, to, window.floorMs()));
        log.info("The committed offset of {} holds a gap's window from {} to {} that was not repaired before the task "
                + "stopped; it is repaired now", subscription, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
        enqueue(subscription, from, to, from, false);
    }

    /**
     * Queues a window for repair once its end has passed, cut to astro.backfill.max.age.ms. A restart's gap reaches
     * back to the pair's last committed record, which on a quiet channel may be days ago: its cut is said at INFO and
     * counts as a lost gap only if the repair finds events at the cut (a quiet channel is not a gap).
     */
    private void enqueue(Subscription subscription, long from, long to, long startMs, boolean afterRestart) {
        long oldest = clock.getAsLong() - settings.maxAge().toMillis();
        long covers = from;
        boolean cut = from < oldest;
        if (cut) {
            listener.repairSkippedMillis(subscription, oldest - from);
            if (afterRestart) {
                log.info("The restart's gap of {} reaches back to its last record, at {}, more than "
                        + "astro.backfill.max.age.ms={} ago: what was created from {} on is repaired; the {} s before "
                        + "are not searched (RepairSkippedSeconds), and count as an unrepaired gap only if events are "
                        + "found right after {}", subscription, Instant.ofEpochMilli(startMs),
                        settings.maxAge().toMillis(), Instant.ofEpochMilli(oldest), (oldest - from) / 1000,
                        Instant.ofEpochMilli(oldest));
            } else {
                log.warn("The gap of {} began at {}, more than astro.backfill.max.age.ms={} ago: only what was "
                        + "created from {} on is repaired; {} s of it are not (RepairSkippedSeconds)", subscription,
                        Instant.ofEpochMilli(startMs), settings.maxAge().toMillis(), Instant.ofEpochMilli(oldest),
                        (oldest - from) / 1000);
            }
            from = oldest;
        }
        Window window = new Window(subscription, from, Math.max(from, to), cut, covers, cut && afterRestart);
        synchronized (waiting) {
            waiting.merge(subscription, window, Window::merge);
            waiting.notifyAll();
        }
        thread.wake();
    }

    /** Up to {@code max} repaired events, oldest first per pair; never waits. */
    public List<RepairedEvent> take(int max) {
        if (max <= 0 || ready.isEmpty()) {
            return List.of();
        }
        List<RepairedEvent> events = new ArrayList<>(Math.min(max, ready.size()));
        ready.drainTo(events, max);
        return events;
    }

    /** True when repaired events wait for {@code poll()}. */
    public boolean hasEvents() {
        return !ready.isEmpty();
    }

    @Override
    public void close() {
        stopping = true;
        thread.close();
        rest.close();
        synchronized (waiting) {
            for (Window window : waiting.values()) {
                log.info("The task stops before the gap of {} from {} to {} was repaired; the pair's offset keeps its "
                        + "window, which the next start repairs", window.subscription(),
                        Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(window.toMs()));
            }
            waiting.clear();
        }
    }

    private void run() {
        try {
            while (!stopping) {
                Window window = nextDue();
                if (window == null) {
                    return;
                }
                try {
                    repair(window);
                } catch (RuntimeException e) {
                    // Repair is a bonus on top of live delivery: one window's failure must neither fail the task
                    // nor end the repair of the other pairs.
                    listener.gapUnrepaired(window.subscription());
                    unrepaired.repaired(window.subscription(), window.coversFromMs(), window.toMs());
                    log.error("Repairing the gap of {} failed unexpectedly; it stays unrepaired (UnrepairedGaps), the "
                            + "other gaps' repairs go on", window.subscription(), e);
                }
            }
        } catch (InterruptedException e) {
            log.debug("Gap repair interrupted; stopping");
        }
    }

    /** Waits until some pair's window has ended, and takes it; null when none waits (the thread then ends). */
    private Window nextDue() throws InterruptedException {
        synchronized (waiting) {
            while (!waiting.isEmpty()) {
                long now = clock.getAsLong();
                long wait = Long.MAX_VALUE;
                for (Window window : waiting.values()) {
                    if (window.toMs() <= now) {
                        waiting.remove(window.subscription());
                        return window;
                    }
                    wait = Math.min(wait, window.toMs() - now);
                }
                waiting.wait(Math.min(wait, 60_000));
            }
            return null;
        }
    }

    private void repair(Window window) throws InterruptedException {
        Subscription subscription = window.subscription();
        String channel = channelOf(subscription);
        if (channel == null || channel.isEmpty()) {
            listener.gapUnrepaired(subscription);
            log.warn("Cannot repair the gap of {} from {} to {}: its channel id is not known yet (the token's own "
                    + "channel is learnt from its first notification); name the channel in astro.subscriptions",
                    subscription, Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(window.toMs()));
            unrepaired.repaired(subscription, window.coversFromMs(), window.toMs());
            return;
        }
        RestEndpoint endpoint = RestEndpoint.of(subscription.topic());
        RepairCollector collector = new RepairCollector(subscription, channel, window.fromMs(), window.toMs(),
                settings.maxRecords(), bounds.maxSeenIds());
        RestFailure failure = reader.read(subscription, endpoint, channel, window.fromMs(), window.toMs(), collector);
        List<RepairedEvent> events = collector.events();
        if (stopping) {
            // Cut short: the window stays in the pair's offset, for the next start.
            return;
        }
        UnrepairedWindows.Window done = window.covered();
        for (int i = 0; i < events.size(); i++) {
            RepairedEvent event = i == events.size() - 1 ? events.get(i).completing(done) : events.get(i);
            if (!handOver(event)) {
                return;
            }
        }
        if (events.isEmpty()) {
            // Nothing to write: the window is done now.
            unrepaired.repaired(subscription, done.fromMs(), done.toMs());
        }
        if (collector.beyond() > 0) {
            listener.repairSkippedRecords(subscription, collector.beyond());
            log.warn("The gap of {} from {} to {} holds more events than astro.backfill.max.records={}: the oldest "
                    + "{} are repaired, {} are not (RepairSkippedRecords)", subscription,
                    Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(window.toMs()), settings.maxRecords(),
                    events.size(), collector.beyond());
        }
        if (collector.unreadable() > 0) {
            log.warn("{} documents of {} read to repair {} had no _id or no readable createdAt and are not written",
                    collector.unreadable(), endpoint.path(channel), subscription);
        }
        if (failure != null && failure.runaway() != null) {
            listener.repairRunaway(subscription, failure.runaway());
            listener.gapUnrepaired(subscription);
            log.warn("Stopped repairing the gap of {} from {} to {}: {} ({}); {} events read before were handed on. "
                    + "The gap stays unrepaired (RunawayRepairs, UnrepairedGaps); the other pairs' repairs go on",
                    subscription, Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(window.toMs()),
                    failure.getMessage(), failure.runaway().key(), events.size());
        } else if (failure != null) {
            listener.gapUnrepaired(subscription);
            log.warn("Could not repair the gap of {} from {} to {}: {}; {} events read before were handed on. The "
                    + "gap stays unrepaired (UnrepairedGaps); live delivery is not affected", subscription,
                    Instant.ofEpochMilli(window.fromMs()), Instant.ofEpochMilli(window.toMs()), failure.getMessage(),
                    events.size());
        } else if (collector.beyond() > 0 || (window.cut() && !quietAtTheCut(window, events))) {
            listener.gapUnrepaired(subscription);
            if (window.cutAfterRestart()) {
                log.warn("The restart's gap of {} was cut at {} (astro.backfill.max.age.ms), and events were created "
                        + "right after it: older ones were likely missed (UnrepairedGaps)", subscription,
                        Instant.ofEpochMilli(window.fromMs()));
            }
        } else {
            listener.gapRepaired(subscription);
            log.info("Repaired the gap of {} from {} to {}: {} events read from the REST API, handed on to be "
                    + "written unless already written", subscription, Instant.ofEpochMilli(window.fromMs()),
                    Instant.ofEpochMilli(window.toMs()), events.size());
        }
    }

    /**
     * Whether a window that only a restart's gap cut shows a quiet channel at the cut: no event created within
     * {@code astro.backfill.margin.ms} after it. Then nothing shows that the time before it held events.
     */
    private boolean quietAtTheCut(Window window, List<RepairedEvent> events) {
        if (!window.cutAfterRestart()) {
            return false;
        }
        long edge = window.fromMs() + settings.margin().toMillis();
        return events.stream().noneMatch(event -> event.createdAtMs() <= edge);
    }

    /** The channel id a pair's REST history is read for: the room the gateway confirmed, else the configured one. */
    private String channelOf(Subscription subscription) {
        String confirmed = confirmedRooms.get(subscription);
        return confirmed == null || confirmed.isEmpty() ? subscription.room() : confirmed;
    }

    /** Waits for room in the queue; false when the task stops meanwhile. */
    private boolean handOver(RepairedEvent event) throws InterruptedException {
        while (!stopping) {
            if (ready.offer(event, PUT_CHECK_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }
}
