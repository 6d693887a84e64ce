package io.github.kafkaconnectastro.offsets;

import java.util.Arrays;

/**
 * The highest ULIDs written for one pair, highest first, at most {@link SourceOffsets#RECENT_MAX}: the offset's
 * {@code id} and {@code recent} fields. Kept in a small fixed array, since nearly every record changes it; ids are
 * upper case, so that string order is ULID order.
 */
final class HighestIds {

    private final String[] ids = new String[SourceOffsets.RECENT_MAX];
    private int size;

    /**
     * Searches from the highest, since a new id is nearly always the highest.
     *
     * @return the id's place among the highest, 0 for the highest; -1 when it is not among them or already there
     */
    int add(String ulid) {
        int at = 0;
        while (at < size && ids[at].compareTo(ulid) > 0) {
            at++;
        }
        if (at == ids.length || at < size && ids[at].equals(ulid)) {
            return -1;
        }
        int kept = Math.min(size, ids.length - 1);
        System.arraycopy(ids, at, ids, at + 1, kept - at);
        ids[at] = ulid;
        size = kept + 1;
        return at;
    }

    /** The highest id; null when there is none. */
    String highest() {
        return size == 0 ? null : ids[0];
    }

    /** A copy of the ids, highest first, for an offset to keep. */
    String[] snapshot() {
        return Arrays.copyOf(ids, size);
    }
}
