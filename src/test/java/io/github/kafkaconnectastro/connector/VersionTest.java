package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.AstroSourceConnector;
import io.github.kafkaconnectastro.AstroSourceTask;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Connect shows version() in GET /connector-plugins and in task statuses: it must be the build's version. */
class VersionTest {

    @Test
    void connectorAndTaskReportTheBuildVersion() {
        String expected = System.getProperty("project.version");
        assertNotNull(expected, "the build passes project.version to the tests");
        assertEquals(expected, Version.get());
        assertEquals(expected, new AstroSourceConnector().version());
        assertEquals(expected, new AstroSourceTask().version());
    }
}
