package dev.grapevine.ops;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryCommandTest {
    private static final String STATUS = "{\"epoch\":\"9f3a0c11\",\"members\":3,\"complete\":false,\"partitions_pending\":7,"
            + "\"nodes\":[{\"node\":\"n1\",\"epoch\":\"9f3a0c11\",\"pending\":0,\"failed\":0},"
            + "{\"node\":\"n2\",\"epoch\":\"9f3a0c11\",\"pending\":7,\"failed\":1},"
            + "{\"node\":\"n3\",\"epoch\":null,\"pending\":0,\"failed\":0}],"
            + "\"local\":{\"partitions_repaired\":12,\"keys_streamed\":4096,\"last_plan\":{\"moves\":3}}}";
    private final FakeKvAgent agent = new FakeKvAgent();

    RecoveryCommandTest() throws IOException {
        agent.recovery = STATUS;
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void aHumanSummaryWithOneRowPerNode() {
        CliRun run = CliRun.of("recovery", "--http", agent.http());
        assertEquals(0, run.code(), run.toString());
        String out = run.out();
        assertTrue(out.contains("epoch     9f3a0c11\n"), out);
        assertTrue(out.contains("members   3\n"), out);
        assertTrue(out.contains("complete  no\n"), out);
        assertTrue(out.contains("pending   7 partitions\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("n2 +9f3a0c11 +7 +1")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("n3 +- +0 +0")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" +keys_streamed +4096")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" +last_plan +\\{\"moves\":3}")), out);
    }

    @Test
    void jsonIsPrintedAsServed() {
        CliRun run = CliRun.of("recovery", "--json", "--http", agent.http());
        assertEquals(0, run.code(), run.toString());
        assertEquals(STATUS, run.out().strip());
    }

    @Test
    void anAgentWithoutRecoveryIsNamed() throws IOException {
        HttpServer old = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        old.start();
        try {
            CliRun run = CliRun.of("recovery", "--http", "127.0.0.1:" + old.getAddress().getPort());
            assertEquals(2, run.code(), run.toString());
            assertTrue(run.err().contains("has no recovery API"), run.err());
        } finally {
            old.stop(0);
        }
    }
}
