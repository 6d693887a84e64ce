package io.github.kafkaconnectastro.auth;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * Where the connector keeps its OAuth2 tokens: in its own offsets, under a source partition of its own
 * ({@code {"credential": "oauth2"}}, which no (topic, room) partition can look like), with the encrypted blob as the
 * offset ({@code {"blob": "v1.…"}}). Connect writes an offset only with a record, so each save is one record to the
 * heartbeat topic: key {@code <connector>:oauth2}, value null (no schema, so that no converter or schema registry
 * has anything to register). The blob is in the offsets topic only, never in the record.
 */
public final class CredentialOffsets {

    public static final String PARTITION_KEY = "credential";
    public static final String PARTITION_VALUE = "oauth2";
    public static final String OFFSET_BLOB = "blob";
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

    /** The record whose offset saves {@code blob}. */
    public static SourceRecord record(String blob, String heartbeatTopic, String connector, long nowMs) {
        return new SourceRecord(PARTITION, Map.of(OFFSET_BLOB, blob), heartbeatTopic, null,
                Schema.STRING_SCHEMA, connector + ":" + PARTITION_VALUE, null, null, nowMs);
    }
}
