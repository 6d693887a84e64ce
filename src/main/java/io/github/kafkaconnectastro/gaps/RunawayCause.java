package io.github.kafkaconnectastro.gaps;

/** Why a repair stopped reading an endpoint that does not behave as a paged list (see {@link RepairBounds}). */
public enum RunawayCause {
    /** More pages than {@link RepairBounds#maxPages()} for one window: {@code after}/{@code before} or paging ignored. */
    PAGES("pages"),
    /** More distinct ids than {@link RepairBounds#maxSeenIds()}: pages longer than asked, or fresh ids without end. */
    IDS("ids"),
    /** A body longer than {@link RepairBounds#maxResponseBytes()}. */
    BYTES("bytes"),
    /** A body still arriving at {@link RepairBounds#readTimeout()}. */
    DEADLINE("deadline");

    private final String key;

    RunawayCause(String key) {
        this.key = key;
    }

    /** The name it is logged and counted under. */
    public String key() {
        return key;
    }
}
