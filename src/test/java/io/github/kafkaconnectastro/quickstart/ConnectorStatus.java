package io.github.kafkaconnectastro.quickstart;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A connector's state and its tasks' states, from {@code GET /connectors/<name>/status}. */
record ConnectorStatus(String connectorState, List<String> taskStates, String firstTrace) {

    static ConnectorStatus of(JsonNode status) {
        String trace = status.path("connector").path("trace").asText(null);
        List<String> tasks = new ArrayList<>();
        for (JsonNode task : status.path("tasks")) {
            tasks.add(task.path("state").asText());
            if (trace == null && task.hasNonNull("trace")) {
                trace = "task " + task.path("id").asText() + ": " + task.get("trace").asText();
            }
        }
        return new ConnectorStatus(status.path("connector").path("state").asText("UNKNOWN"), tasks, trace);
    }

    boolean running() {
        return "RUNNING".equals(connectorState) && !taskStates.isEmpty()
                && taskStates.stream().allMatch("RUNNING"::equals);
    }

    boolean failed() {
        return "FAILED".equals(connectorState) || taskStates.contains("FAILED");
    }

    /** The first lines of the failure's stack trace: the reason, without a screenful of frames. */
    String reason() {
        if (firstTrace == null) {
            return "no trace in the status";
        }
        return String.join("\n", firstTrace.lines().limit(3).toList());
    }

    String summary() {
        long runningTasks = taskStates.stream().filter("RUNNING"::equals).count();
        return "connector " + connectorState + ", " + runningTasks + "/" + taskStates.size() + " tasks RUNNING";
    }
}
