package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tags changed at run time survive a restart of a real agent with the same data dir, over its --tag flags. */
class TagsRestartProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private AgentProcesses agents;

    @AfterEach
    void stopAll() {
        if (agents != null) {
            agents.close();
        }
    }

    private static JsonNode tags(AgentProcesses.Agent agent) {
        return CliRun.of("info", "--json", "--http", agent.http()).json().path("tags");
    }

    @Test
    void runTimeTagsWinOverTheFlagsAfterARestart(@TempDir Path dir) throws Exception {
        agents = new AgentProcesses(dir);
        AgentProcesses.Agent n1 = agents.agent("n1");
        Process first = agents.start(n1, null, "--tag", "role=db", "--tag", "zone=x", "--tag", "dc=eu");
        AgentProcesses.await("n1 answers", DEADLINE, () -> AgentProcesses.status(n1, "n1").equals("alive"));

        assertEquals(0, CliRun.of("tags", "set", "role=web", "zone=a", "--http", n1.http()).code());
        CliRun deleted = CliRun.of("tags", "delete", "zone", "--http", n1.http());
        assertEquals(0, deleted.code(), deleted.toString());
        assertTrue(deleted.out().contains("dc=eu") && deleted.out().contains("role=web") && !deleted.out().contains("zone="),
                deleted.out());

        first.destroy(); // SIGTERM: a graceful leave, then exit
        assertTrue(first.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "n1 stops");
        agents.start(n1, null, "--tag", "role=db", "--tag", "zone=x", "--tag", "dc=eu");
        AgentProcesses.await("n1 answers again", DEADLINE, () -> AgentProcesses.status(n1, "n1").equals("alive"));

        JsonNode tags = tags(n1);
        assertEquals("web", tags.path("role").asText(), "set at run time, over --tag role=db: " + tags);
        assertTrue(tags.path("zone").isMissingNode(), "deleted at run time, though --tag names it: " + tags);
        assertEquals("eu", tags.path("dc").asText(), "untouched keys follow the flags: " + tags);
    }
}
