package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.AstroSourceConnector;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialOffsetsTest {

    private static final Map<String, String> OAUTH2 = Map.of("name", "astro",
            "astro.oauth2.refresh.token", "ort-configured", "astro.oauth2.client.secret", "s");

    @Test
    void theRecordCarriesTheBlobInItsOffsetOnlyWithANullValue() {
        SourceRecord record = CredentialOffsets.record(CredentialOffsets.offset("v1.a.b.c", "fp"),
                "__astro-heartbeat", "astro", 1L);
        assertEquals(CredentialOffsets.PARTITION, record.sourcePartition());
        assertEquals("v1.a.b.c", CredentialOffsets.blobOf(record.sourceOffset()));
        assertEquals("fp", CredentialOffsets.originOf(record.sourceOffset()));
        assertNull(CredentialOffsets.originOf(Map.of("blob", "v1.a.b.c")));
        assertEquals("__astro-heartbeat", record.topic());
        assertEquals("astro:oauth2", record.key());
        assertNull(record.value());
        assertNull(record.valueSchema());
    }

    @Test
    void onlyTheCredentialPartitionIsRecognised() {
        assertTrue(CredentialOffsets.isCredentialPartition(Map.of("credential", "oauth2")));
        assertFalse(CredentialOffsets.isCredentialPartition(Map.of("topic", "channel.tips", "room", "r")));
        assertFalse(CredentialOffsets.isCredentialPartition(Map.of("credential", "oauth2", "room", "r")));
        assertNull(CredentialOffsets.blobOf(Map.of("blob", 5)));
    }

    @Test
    void theCredentialPartitionCannotBeSet() {
        ConnectException refused = assertThrows(ConnectException.class, () -> new AstroSourceConnector()
                .alterOffsets(OAUTH2, Map.of(CredentialOffsets.PARTITION, Map.of("blob", "v1.x.y.z"))));
        assertTrue(refused.getMessage().contains("no offset can be set on it"), refused.getMessage());
    }

    /**
     * {@code DELETE /connectors/<name>/offsets} hands alterOffsets every partition with a null offset, the
     * credential's too (Worker.modifySourceConnectorOffsets, Kafka 3.6 and 4.x).
     */
    @Test
    void aResetThatWouldDropTheCredentialIsRefusedSayingHowToResetThePairsOrStartAfresh() {
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(CredentialOffsets.PARTITION, null);
        reset.put(Map.of("topic", "channel.tips", "room", "r1"), null);
        ConnectException refused = assertThrows(ConnectException.class,
                () -> new AstroSourceConnector().alterOffsets(OAUTH2, reset));
        String message = refused.getMessage();
        assertTrue(message.startsWith("Cannot reset offsets: the partition {credential=oauth2}")
                && message.contains("PATCH /connectors/astro/offsets with \"offset\": null for each")
                && message.contains("set astro.oauth2.refresh.token to it"), message);
        assertFalse(message.contains("ort-configured"), message);

        Map<Map<String, ?>, Map<String, ?>> pairOnly = new HashMap<>();
        pairOnly.put(Map.of("topic", "channel.tips", "room", "r1"), null);
        assertTrue(new AstroSourceConnector().alterOffsets(OAUTH2, pairOnly));
    }

    /** A connector that no longer uses OAuth2 may forget the credential it kept when it did. */
    @Test
    void withoutOAuth2TheCredentialPartitionMayBeReset() {
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(CredentialOffsets.PARTITION, null);
        assertTrue(new AstroSourceConnector().alterOffsets(Map.of("name", "astro", "astro.token", "t"), reset));
    }
}
