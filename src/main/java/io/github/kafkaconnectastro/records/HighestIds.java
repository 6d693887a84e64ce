package io.github.kafkaconnectastro.records;

/**
 * The highest ULIDs written for one pair, highest first, at most {@link SourceOffsets#RECENT_MAX}: the offset's
 * {@code id} and {@code recent} fields. Kept in a small fixed array, since nearly every record changes it; ids are
 * upper case, so that string order is ULID order.
 */
final class HighestIds {

    private final String[] ids = new String[SourceOffsets.RECENT_MAX];
    private int size;
    private String text;

    /** @return true when the id is now among the highest, so that {@link #text} changed */
    boolean add(String ulid) {
        int at = size;
        while (at > 0 && ids[at - 1].compareTo(ulid) < 0) {
            at--;
        }
        if (at == ids.length || at > 0 && ids[at - 1].equals(ulid)) {
            return false;
        }
        int kept = Math.min(size, ids.length - 1);
        System.arraycopy(ids, at, ids, at + 1, kept - at);
        ids[at] = ulid;
        size = kept + 1;
        text = null;
        return true;
    }

    /** The highest id; null when there is none. */
    String highest() {
        return size == 0 ? null : ids[0];
    }

    /** The ids as the offset's {@code recent} field; built with {@code scratch} when they changed. */
    String text(StringBuilder scratch) {
        if (text == null) {
            scratch.setLength(0);
            SourceOffsets.appendRecent(scratch, ids, size);
            text = scratch.toString();
        }
        return text;
    }
}
