package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.AstroSourceConnector;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completeness checks on the config metadata that the REST validate endpoint and the reference page show. */
class ConfigDefinitionMetadataTest {

    private static final ConfigDef CONFIG = new AstroSourceConnector().config();
    private static final List<String> GROUPS = List.of(
            AstroConnectionConfig.GROUP.name(),
            AstroSecurityConfig.GROUP.name(),
            AstroSubscriptionsConfig.GROUP.name(),
            AstroOutputConfig.GROUP.name(),
            AstroReliabilityConfig.GROUP.name(),
            AstroAdvancedConfig.GROUP.name());

    @Test
    void everyKeyHasDocumentation() {
        for (ConfigKey key : CONFIG.configKeys().values()) {
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name + " has no documentation");
        }
    }

    @Test
    void everyKeyHasAKnownGroupAndAnOrderInIt() {
        for (ConfigKey key : CONFIG.configKeys().values()) {
            assertTrue(GROUPS.contains(key.group), key.name + " has group " + key.group + ", expected one of " + GROUPS);
            assertTrue(key.orderInGroup > 0, key.name + " has no order in its group");
        }
        assertEquals(GROUPS, CONFIG.groups(), "groups out of order");
    }

    @Test
    void everyKeyHasADisplayName() {
        for (ConfigKey key : CONFIG.configKeys().values()) {
            assertTrue(key.displayName != null && !key.displayName.isBlank() && !key.displayName.equals(key.name),
                    key.name + " has no display name");
        }
    }

    @Test
    void millisecondKeysAreLongs() {
        for (ConfigKey key : CONFIG.configKeys().values()) {
            if (key.name.endsWith(".ms")) {
                assertEquals(ConfigDef.Type.LONG, key.type, key.name + " is in milliseconds and must be LONG");
            }
        }
    }
}
