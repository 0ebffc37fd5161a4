package dev.grapevine.ops;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whatever a command throws, the command line prints one line, never a stack trace. */
class CliFailuresTest {

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        RuntimeException failure;

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private static String[] run(RuntimeException failure) {
        Boom boom = new Boom();
        boom.failure = failure;
        CommandLine cli = GrapevineCli.commandLine().addSubcommand("boom", boom);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return new String[] {String.valueOf(cli.execute("boom")), err.toString()};
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertEquals("2|grapevine: --bind: no such host\n", String.join("|", run(new IllegalArgumentException("--bind: no such host"))));
    }

    @Test
    void anExceptionWithoutAMessageIsNamedByItsType() {
        // NIO's UnresolvedAddressException is an IllegalArgumentException without a message: "grapevine: null" before.
        assertEquals("2|grapevine: UnresolvedAddressException\n",
                String.join("|", run(new java.nio.channels.UnresolvedAddressException())));
    }

    @Test
    void aFailureToRunIsOneLineAndExitOne() {
        assertEquals("1|grapevine boom: failed: IllegalStateException: the store is closed\n",
                String.join("|", run(new IllegalStateException("the store is closed", new RuntimeException("cause")))));
    }

    @Test
    void aMultiLineMessageIsCutToItsFirstLine() {
        assertEquals("2|grapevine: Unexpected character ('<' (code 60))\n",
                String.join("|", run(new IllegalArgumentException("Unexpected character ('<' (code 60))\n at [Source: ...]"))));
    }

    @Test
    void aMistypedFlagIsALineASuggestionAndWhereTheUsageIs() {
        CommandLine cli = GrapevineCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(2, cli.execute("members", "--statsu", "alive"));
        assertEquals("grapevine members: Unknown options: '--statsu', 'alive'\nPossible solutions: --status\n"
                + "see 'grapevine members --help'\n", err.toString());
        assertEquals("", out.toString(), "no usage text");
    }

    @Test
    void anAnswerThatIsNoAgentsSaysSo() {
        assertEquals("HTTP 404 without a Grapevine agent's answer (a body that is not JSON); is --http the agent's admin API?",
                KvBulkCommands.why(new AdminClient.Reply(404, "<!DOCTYPE HTML>\n<html>")));
        assertEquals("HTTP 404 without a Grapevine agent's answer (an empty body); is --http the agent's admin API?",
                KvBulkCommands.why(new AdminClient.Reply(404, "")));
        assertEquals("HTTP 409: n3 is alive", KvBulkCommands.why(new AdminClient.Reply(409, "{\"error\":\"n3 is alive\"}")));
    }

    @Test
    void anotherWebServerBehindHttpIsNamedAsNoAgent() throws Exception {
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE HTML>\n<html><body>Not Found</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try {
            CommandLine cli = GrapevineCli.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(2, cli.execute("members", "--http", "127.0.0.1:" + web.getAddress().getPort()));
            assertEquals("grapevine: HTTP 404 without a Grapevine agent's answer (a body that is not JSON);"
                    + " is --http the agent's admin API?\n", err.toString());
        } finally {
            web.stop(0);
        }
    }
}
