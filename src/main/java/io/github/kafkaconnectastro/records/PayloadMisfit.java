package io.github.kafkaconnectastro.records;

/**
 * A payload field held a JSON value of another type than its schema's. The message names the field's path and
 * the types, never the value, so it can be logged and put in a header.
 */
final class PayloadMisfit extends Exception {

    PayloadMisfit(String reason) {
        super(reason, null, false, false);
    }
}
