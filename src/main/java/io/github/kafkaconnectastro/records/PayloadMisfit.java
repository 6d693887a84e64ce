package io.github.kafkaconnectastro.records;

/**
 * A payload field held a JSON value of another type than its schema's. The message names the field's path and
 * the types, never the value, so it can be logged and put in a header. The path is made as the misfit leaves
 * each object ({@link #within}), so that reading a payload that fits builds no path at all.
 */
final class PayloadMisfit extends Exception {

    private final String path;
    private final String detail;

    /** @param path the field's path from the object it is in, such as {@code amount} */
    PayloadMisfit(String path, String detail) {
        super(path + ": " + detail, null, false, false);
        this.path = path;
        this.detail = detail;
    }

    /** The same misfit, its path under the field {@code parent} (such as {@code data}). */
    PayloadMisfit within(String parent) {
        return new PayloadMisfit(parent + "." + path, detail);
    }
}
