package dev.grapevine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent started with no logging configuration logs INFO and above to stderr, Pekko at WARN. */
class DefaultLoggingTest {

    @Test
    void anUnconfiguredAgentLogsInfoToStderr(@TempDir Path dir) throws Exception {
        // The main class path alone: the tests' logback-test.xml would otherwise be used instead.
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        Path err = dir.resolve("agent.err");
        Process agent = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                GrapevineCli.class.getName(), "agent", "--node", "quiet", "--bind", "127.0.0.1:" + freePort(),
                "--http", "127.0.0.1:" + freePort(), "--profile", "local", "--data-dir", dir.resolve("data").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        try {
            await("the agent's start logged").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(err).contains("Grapevine node quiet started"));
            String log = Files.readString(err);
            assertTrue(log.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.g\\.runtime\\.NodeGuardian - Grapevine node quiet started.*"), log);
            assertFalse(log.contains("DEBUG"), log);
            assertFalse(log.contains("Slf4jLogger started"), "Pekko's INFO is below its WARN level: " + log);
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
