package io.github.kafkaconnectastro.auth;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * Where the connector keeps its OAuth2 tokens: in its own offsets, under a source partition of its own
 * ({@code {"credential": "oauth2"}}, which no (topic, room) partition can look like), with the encrypted blob as the
 * offset ({@code {"blob": "v1.…", "origin": "<fingerprint>"}}). {@code origin} is, in clear, the fingerprint
 * ({@link StoredCredentials#fingerprint}) of the configured refresh token the kept one descends from, which the token
 * endpoint has therefore spent: when the blob cannot be decrypted, it still tells task 0 that the configured refresh
 * token is not to be presented. Connect writes an offset only with a record, so each save is one record to the
 * heartbeat topic: key {@code <connector>:oauth2}, value null (no schema, so that no converter or schema registry
 * has anything to register). The blob is in the offsets topic only, never in the record.
 */
public final class CredentialOffsets {

    public static final String PARTITION_KEY = "credential";
    public static final String PARTITION_VALUE = "oauth2";
    public static final String OFFSET_BLOB = "blob";
    public static final String OFFSET_ORIGIN = "origin";
    public static final Map<String, String> PARTITION = Map.of(PARTITION_KEY, PARTITION_VALUE);

    private CredentialOffsets() {
    }

    /** True for the credential partition, which alterOffsets must leave to the connector. */
    public static boolean isCredentialPartition(Map<String, ?> partition) {
        return partition != null && partition.size() == 1 && PARTITION_VALUE.equals(partition.get(PARTITION_KEY));
    }

    /** The blob of a stored offset, or null. */
    public static String blobOf(Map<String, ?> offset) {
        Object blob = offset == null ? null : offset.get(OFFSET_BLOB);
        return blob instanceof String s ? s : null;
    }

    /**
     * The origin fingerprint saved beside the blob, or null (none, or an offset written before it was saved: such
     * an offset takes it with the next save).
     */
    public static String originOf(Map<String, ?> offset) {
        Object origin = offset == null ? null : offset.get(OFFSET_ORIGIN);
        return origin instanceof String s ? s : null;
    }

    /** The offset that keeps {@code blob}, with the fingerprint of the configured refresh token it descends from. */
    public static Map<String, String> offset(String blob, String origin) {
        return Map.of(OFFSET_BLOB, blob, OFFSET_ORIGIN, origin);
    }

    /** The record whose offset ({@link #offset}) saves the credential. */
    public static SourceRecord record(Map<String, String> offset, String heartbeatTopic, String connector,
                                      long nowMs) {
        return new SourceRecord(PARTITION, offset, heartbeatTopic, null,
                Schema.STRING_SCHEMA, connector + ":" + PARTITION_VALUE, null, null, nowMs);
    }
}
