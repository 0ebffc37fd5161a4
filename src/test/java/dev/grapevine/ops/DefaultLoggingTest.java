package dev.grapevine.ops;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent started with no logging configuration logs INFO and above to stderr, Pekko at WARN; its flags change both. */
class DefaultLoggingTest {

    @Test
    void anUnconfiguredAgentLogsInfoToStderr(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("agent.err");
        Process agent = agent(dir, err, "quiet");
        try {
            await("the agent's start logged").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(err).contains("Grapevine node quiet started"));
            String log = Files.readString(err);
            assertTrue(log.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  dev\\.grapevine\\.node - Grapevine node quiet started at 127\\.0\\.0\\.1:\\d+, epoch \\d+.*"), log);
            assertFalse(log.contains("DEBUG"), log);
            assertFalse(log.contains("Slf4jLogger started"), "Pekko's INFO is below its WARN level: " + log);
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void withLogFormatJsonEveryLineOnStderrIsOneJsonObject(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("agent.err");
        Process agent = agent(dir, err, "structured", "--log-format", "json", "--log-level", "DEBUG");
        try {
            await("the agent's start logged").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(err).contains("Grapevine node structured started"));
            List<String> lines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
            JsonNode started = null;
            for (String line : lines) {
                JsonNode event = Json.MAPPER.readTree(line); // throws if any line is not one JSON object
                assertTrue(event.isObject(), line);
                if (event.path("formattedMessage").asText().startsWith("Grapevine node structured started")) {
                    started = event;
                }
            }
            assertNotNull(started, String.join("\n", lines));
            assertEquals("INFO", started.path("level").asText());
            assertEquals("dev.grapevine.node", started.path("loggerName").asText());
            assertEquals("structured", started.path("mdc").path("node").asText(), started.toString());
            assertTrue(started.path("timestamp").asLong() > 0, started.toString());
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void aBadLogLevelOrFormatIsOneClearLineAndExit2() {
        CliRun level = CliRun.of("agent", "--log-level", "loud");
        assertEquals(2, level.code(), level.toString());
        assertEquals("grapevine: --log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, but was 'loud'\n",
                level.err().replace("\r", ""), level.toString());
        CliRun format = CliRun.of("agent", "--log-format", "xml");
        assertEquals(2, format.code(), format.toString());
        assertEquals("grapevine: --log-format must be text or json, but was 'xml'\n", format.err().replace("\r", ""),
                format.toString());
    }

    @Test
    void pekkoStaysAtWarnUnlessTheOperatorDebugs() {
        assertEquals(Level.WARN, DefaultLogging.Options.parse(null, null).pekkoLevel());
        assertEquals(Level.WARN, DefaultLogging.Options.parse("info", null).pekkoLevel());
        assertEquals(Level.ERROR, DefaultLogging.Options.parse("ERROR", null).pekkoLevel());
        assertEquals(Level.INFO, DefaultLogging.Options.parse("debug", null).pekkoLevel());
        assertEquals(Level.DEBUG, DefaultLogging.Options.parse("trace", null).pekkoLevel());
        assertEquals(Level.INFO, DefaultLogging.Options.parse(null, "json").levelOrDefault());
    }

    /** An agent on the main class path alone: the tests' logback-test.xml would otherwise be used instead. */
    private static Process agent(Path dir, Path err, String name, String... extra) throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                GrapevineCli.class.getName(), "agent", "--node", name, "--bind", "127.0.0.1:" + freePort(),
                "--http", "127.0.0.1:" + freePort(), "--profile", "local", "--data-dir", dir.resolve("data").toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
