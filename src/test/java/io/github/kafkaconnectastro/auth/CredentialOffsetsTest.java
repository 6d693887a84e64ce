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

    @Test
    void theRecordCarriesTheBlobInItsOffsetOnlyWithANullValue() {
        SourceRecord record = CredentialOffsets.record("v1.a.b.c", "__astro-heartbeat", "astro", 1L);
        assertEquals(CredentialOffsets.PARTITION, record.sourcePartition());
        assertEquals("v1.a.b.c", CredentialOffsets.blobOf(record.sourceOffset()));
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
    void theCredentialPartitionMayBeResetButNotSet() {
        AstroSourceConnector connector = new AstroSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(CredentialOffsets.PARTITION, null);
        assertTrue(connector.alterOffsets(Map.of(), reset));
        ConnectException refused = assertThrows(ConnectException.class, () -> connector.alterOffsets(Map.of(),
                Map.of(CredentialOffsets.PARTITION, Map.of("blob", "v1.x.y.z"))));
        assertTrue(refused.getMessage().contains("can only be reset"), refused.getMessage());
    }
}
