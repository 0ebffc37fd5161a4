package dev.grapevine.ops;

import dev.grapevine.api.JoinResult;
import dev.grapevine.api.Member;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clusters of different names in this JVM, pointed at each other: neither admits the other, the
 * counters move, and a join across is refused with both names, through the API and the CLI.
 */
class ClusterNamesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<AgentCommand.Started> started = new ArrayList<>();
    private static AgentCommand.Started blue1;
    private static AgentCommand.Started blue2;
    private static AgentCommand.Started green1;
    private static AgentCommand.Started green2;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("plain.conf");
        Files.writeString(conf, "pekko.loglevel = WARNING\ngrapevine.kv.enabled = false\n");
        green1 = agent("--node", "g1", "--cluster-name", "green", "--config", conf.toString());
        green2 = agent("--node", "g2", "--cluster-name", "green", "--config", conf.toString(),
                "--join", green1.gossip().toString());
        blue1 = agent("--node", "b1", "--cluster-name", "blue", "--config", conf.toString(),
                "--join", green1.gossip().toString()); // a blue node pointed at the green cluster only
        blue2 = agent("--node", "b2", "--cluster-name", "blue", "--config", conf.toString(),
                "--join", blue1.gossip().toString(), "--join", green2.gossip().toString());
        await("each cluster formed").atMost(DEADLINE).until(() ->
                names(green1).equals(Set.of("g1", "g2")) && names(blue1).equals(Set.of("b1", "b2")));
    }

    private static AgentCommand.Started agent(String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of(flags));
        all.addAll(List.of("--bind", "127.0.0.1:" + ControlVerbsTest.freePort(), "--http",
                "127.0.0.1:" + ControlVerbsTest.freePort(), "--profile", "local"));
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        AgentCommand.Started s = command.start();
        started.add(s);
        return s;
    }

    private static Set<String> names(AgentCommand.Started node) throws Exception {
        return node.grapevine().members().toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                .map(Member::name).collect(Collectors.toSet());
    }

    @AfterAll
    static void stop() {
        for (AgentCommand.Started s : started) {
            s.system().terminate();
            s.system().getWhenTerminated().toCompletableFuture().join();
        }
    }

    @Test
    void aJoinAcrossIsRefusedWithBothNamesAndNeitherViewChanges() throws Exception {
        JoinResult blueAsksGreen = blue1.grapevine().join(List.of(green1.gossip().toString()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(green1.gossip().toString(), "green"), blueAsksGreen.refused());
        assertTrue(blueAsksGreen.joined().isEmpty(), blueAsksGreen.toString());
        JoinResult greenAsksBlue = green2.grapevine().join(List.of(blue2.gossip().toString()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(blue2.gossip().toString(), "blue"), greenAsksBlue.refused());

        await("both sides counted").atMost(DEADLINE).until(() ->
                green1.grapevine().metrics().getOrDefault("foreign_cluster_refused", 0L) > 0
                        && blue1.grapevine().metrics().getOrDefault("joins_refused_by_foreign_cluster", 0L) > 0
                        && blue2.grapevine().metrics().getOrDefault("foreign_cluster_refused", 0L) > 0);
        for (AgentCommand.Started s : List.of(green1, green2)) {
            assertEquals(Set.of("g1", "g2"), names(s), s.name());
        }
        for (AgentCommand.Started s : List.of(blue1, blue2)) {
            assertEquals(Set.of("b1", "b2"), names(s), s.name());
        }
    }

    @Test
    void theJoinVerbExitsNonZeroNamingBothClusters() {
        CliRun run = CliRun.of("join", green1.gossip().toString(), "--http", blue1.admin().toString());
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().contains("refused by " + green1.gossip() + ": that node is in cluster 'green'; this node is in 'blue'"),
                run.toString());
        CliRun partly = CliRun.of("join", blue1.gossip().toString(), green2.gossip().toString(), "--http", blue2.admin().toString());
        assertEquals(1, partly.code(), partly.toString());
        assertTrue(partly.out().contains("joined through " + blue1.gossip()), partly.toString());
        assertTrue(partly.err().contains("refused by " + green2.gossip() + ": that node is in cluster 'green'"), partly.toString());
    }

    @Test
    void aBadClusterNameIsAOneLineErrorNamingTheFlag() {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs("--cluster-name", "blue green");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command::configuration);
        assertEquals("--cluster-name: 'blue green' may hold only letters A-Z a-z, digits, '.', '_' and '-'", e.getMessage());
    }
}
