package io.github.kafkaconnectastro.offsets;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pair's offset as a record carries it: {@code id}, {@code ts} and {@code recent} (see {@link SourceOffsets}),
 * whose text is written only when the map is first read. Every record gets its own offset, but Connect reads only
 * the last one of each pair when it commits, so most are never read: building the {@code recent} text and the
 * RFC 3339 time for each would be most of the deduplicator's work per record.
 *
 * <p>Immutable. Connect may read it on its offset committer's thread; the fields it is built from are final, and
 * the text built from them is the same whichever thread builds it, so it is cached without a lock, in a volatile
 * field so that a map built on one thread is seen whole on another.
 */
final class PairOffset extends AbstractMap<String, String> {

    private final String id;
    private final Instant ts;
    private final String[] recent;
    /** Gap repair's fields; null events when the pair's gaps are not repaired. */
    private final String[] events;
    private final long eventsFloorMs;
    private final long eventsNewestMs;
    /** The pair's unrepaired windows and the events written in them; null when the pair's gaps are not repaired. */
    private final Gaps gaps;
    private volatile Map<String, String> fields;

    /**
     * @param ts     null when unknown (an offset set by hand may lack it)
     * @param recent the pair's highest ids, highest first, owned by this offset from now on; null for none
     */
    PairOffset(String id, Instant ts, String[] recent) {
        this(id, ts, recent, null, WrittenEvents.UNKNOWN, WrittenEvents.UNKNOWN, null);
    }

    /**
     * The unrepaired windows an offset carries ({@code gaps}), and the events written within them
     * ({@code gaps.events}).
     *
     * @param restoredPending whether a window restored from the committed offset is still unrepaired, so that the
     *                        hashes restored with it are carried on
     */
    record Gaps(List<UnrepairedWindows.Window> windows, WindowEvents.View events, boolean restoredPending) {
    }

    /**
     * @param id     null when the pair has written only repaired records
     * @param events the event ids last written, oldest first, owned by this offset from now on
     */
    PairOffset(String id, Instant ts, String[] recent, String[] events, long eventsFloorMs, long eventsNewestMs,
               Gaps gaps) {
        this.id = id;
        this.ts = ts;
        this.recent = recent;
        this.events = events;
        this.eventsFloorMs = eventsFloorMs;
        this.eventsNewestMs = eventsNewestMs;
        this.gaps = gaps;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return fields().entrySet();
    }

    @Override
    public String get(Object key) {
        return fields().get(key);
    }

    private Map<String, String> fields() {
        Map<String, String> built = fields;
        if (built == null) {
            built = events == null ? SourceOffsets.offset(id, ts == null ? null : ts.toString(), recentText())
                    : SourceOffsets.offset(id, ts == null ? null : ts.toString(), recentText(),
                            events.length == 0 ? null : join(events), time(eventsFloorMs), time(eventsNewestMs),
                            gaps == null ? null : UnrepairedWindows.text(gaps.windows()),
                            gaps == null ? null : gaps.events().text(gaps.windows(), gaps.restoredPending()));
            fields = built;
        }
        return built;
    }

    private static String time(long ms) {
        return ms == WrittenEvents.UNKNOWN ? null : Instant.ofEpochMilli(ms).toString();
    }

    private static String join(String[] ids) {
        StringBuilder text = new StringBuilder(ids.length * 25);
        SourceOffsets.appendRecent(text, ids);
        return text.toString();
    }

    private String recentText() {
        if (recent == null || id == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(recent.length * (id.length() + 1));
        SourceOffsets.appendRecent(text, recent);
        return text.toString();
    }
}
