package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The commands that talk to a running agent over its admin API, as {@code serf members} & co. do. */
final class ClientCommands {
    private ClientCommands() {
    }

    /** What every client command shares: where the agent's admin API is. */
    abstract static class ClientCommand implements Callable<Integer> {
        @Option(names = "--http", defaultValue = "${env:GRAPEVINE_HTTP:-127.0.0.1:7947}",
                description = "HOST:PORT of the agent's admin API, or https://HOST:PORT for one serving TLS "
                        + "(default ${DEFAULT-VALUE}, or $GRAPEVINE_HTTP)")
        String http;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "a file holding the agent's admin token (default: the token in $GRAPEVINE_TOKEN, if set)")
        java.nio.file.Path tokenFile;

        @Option(names = "--ca", paramLabel = "FILE",
                description = "PEM certificate(s) to trust for an https:// agent (default: the JVM's trusted CAs)")
        java.nio.file.Path ca;

        @Spec
        CommandSpec command;

        /** The environment, replaceable in tests (a JVM cannot set its own). */
        static java.util.function.UnaryOperator<String> env = System::getenv;

        AdminClient agent() {
            return new AdminClient(http, token(), ca == null ? null : AdminTls.trusting(ca));
        }

        /**
         * --token-file's token, else $GRAPEVINE_TOKEN, else the agent's own file named by
         * $GRAPEVINE_ADMIN_TOKEN_FILE (so the CLI works in the agent's container), else null (an
         * agent on loopback may need none).
         */
        private String token() {
            if (tokenFile != null) {
                return AdminToken.readToken(tokenFile, "--token-file");
            }
            String fromEnv = env.apply("GRAPEVINE_TOKEN");
            if (fromEnv != null && !fromEnv.isBlank()) {
                return fromEnv.strip();
            }
            String agentsFile = env.apply("GRAPEVINE_ADMIN_TOKEN_FILE");
            return agentsFile == null || agentsFile.isBlank() ? null
                    : AdminToken.readToken(java.nio.file.Path.of(agentsFile), "$GRAPEVINE_ADMIN_TOKEN_FILE");
        }

        PrintWriter out() {
            return command.commandLine().getOut();
        }

        /** An agent's JSON answer, and its body as served (for {@code --json}). */
        record Answer(String body, JsonNode json) {
        }

        /**
         * GETs {@code path}; fails with one line if the agent refused, or if it answered 404 without JSON
         * (an agent of a version without the {@code api} named).
         */
        Answer getJson(String path, String api) throws java.io.IOException {
            AdminClient.Reply r = agent().request("GET", path, null);
            JsonNode json = KvCommands.parse(r.body());
            if (r.status() != 200 || json == null) {
                throw new IllegalArgumentException(r.status() == 404 && json == null
                        ? "the agent at " + http + " has no " + api + " API (HTTP 404); is it an older version?"
                        : "the agent refused: " + KvBulkCommands.why(r));
            }
            return new Answer(r.body().strip(), json);
        }
    }

    @Command(name = "members", mixinStandardHelpOptions = true, description = "Lists the members the agent knows.")
    static final class Members extends ClientCommand {
        @Option(names = "--status", description = "only members in this state: alive, suspect, dead (or failed), left")
        String status;

        @Option(names = "--json", description = "print {\"members\":[...]} as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (status != null && status.equalsIgnoreCase("failed")) {
                status = "dead"; // the logs' and the monitor's word for it, and Serf's
            }
            if (status != null && !List.of("alive", "suspect", "dead", "left").contains(status.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--status must be alive, suspect, dead (failed) or left, but was '" + status + "'");
            }
            JsonNode all = Json.MAPPER.readTree(agent().get("members")).get("members");
            List<JsonNode> shown = new ArrayList<>();
            all.forEach(m -> {
                if (status == null || m.get("status").asText().equalsIgnoreCase(status)) {
                    shown.add(m);
                }
            });
            if (json) {
                out().println(Json.write(Map.of("members", shown)));
            } else {
                for (JsonNode m : shown) {
                    out().printf("%-24s %-22s %-8s %s%n", m.get("name").asText(), m.get("address").asText(),
                            m.get("status").asText(), tags(m.get("tags")));
                }
            }
            out().flush();
            return 0;
        }

        /** The user's tags; the node's own reserved ones (its load, say) are in {@code --json}. */
        private static String tags(JsonNode tags) {
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                if (t.getKey().startsWith(dev.grapevine.api.Names.RESERVED_TAG_PREFIX)) {
                    continue;
                }
                parts.add(t.getKey() + "=" + t.getValue().asText());
            }
            return String.join(",", parts);
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Asks the agent to join the nodes at these addresses; fails if none answers within 5 s.")
    static final class Join extends ClientCommand {
        @Parameters(arity = "1..*", paramLabel = "HOST:PORT")
        List<String> addresses;

        @Option(names = "--json", description = "print {\"joined\":[...],\"failed\":[...]} as JSON (with \"error\" if the join failed)")
        boolean json;

        @Override
        public Integer call() throws Exception {
            addresses.forEach(dev.grapevine.core.member.Address::parse);
            AdminClient.Reply r = agent().request("POST", "/v1/join",
                    Json.write(Map.of("addresses", addresses)).getBytes(StandardCharsets.UTF_8));
            JsonNode answer = KvCommands.parse(r.body());
            if (r.status() != 200 || answer == null) {
                if (json && answer != null) { // the agent's answer, for scripts: its error and who failed
                    out().println(r.body().strip());
                    out().flush();
                }
                command.commandLine().getErr().println("grapevine join: " + (answer != null && answer.hasNonNull("error")
                        ? answer.get("error").asText() : KvBulkCommands.why(r)));
                return 1;
            }
            if (json) {
                out().println(r.body().strip());
            } else {
                List<String> joined = new ArrayList<>();
                answer.path("joined").forEach(a -> joined.add(a.asText()));
                out().println("joined through " + String.join(", ", joined));
                answer.path("failed").forEach(a -> out().println("no answer from " + a.asText()));
            }
            out().flush();
            if (answer.path("refused").size() > 0) { // some joined, but an address is of another cluster
                answer.path("refused").fields().forEachRemaining(e -> command.commandLine().getErr().println(
                        "grapevine join: refused by " + e.getKey() + ": that node is in cluster '" + e.getValue().asText()
                                + "'; this node is in '" + answer.path("cluster").asText() + "'"));
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true,
            description = "Makes the agent leave the cluster gracefully (it keeps running; stop it after): it first hands "
                    + "its data to the owners that stay, for at most grapevine.recovery.decommission-timeout.")
    static final class Leave extends ClientCommand {
        @Override
        public Integer call() {
            agent().post("leave", new byte[0], AdminClient.LEAVE_ANSWER_MAX);
            out().println("left the cluster");
            out().flush();
            return 0;
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true, description = "Sends a user event to every member.")
    static final class Event extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD")
        String payload = "";

        @Option(names = "--json", description = "print {\"name\",\"lamport_time\"} as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            dev.grapevine.api.Names.checkEventName(name);
            // Every character but letters, digits and -_~ percent-encoded, '.' too: a name "." or ".." must
            // reach the agent as a name, not as a step up the path.
            AdminClient.Reply r = agent().request("POST", "/v1/event/" + AdminClient.encodeSegment(name),
                    payload.getBytes(StandardCharsets.UTF_8));
            JsonNode answer = KvCommands.parse(r.body());
            if (r.status() != 200 || answer == null) {
                throw new IllegalArgumentException("the agent refused: " + (answer != null && answer.hasNonNull("error")
                        ? answer.get("error").asText() : KvBulkCommands.why(r)));
            }
            out().println(json ? r.body().strip()
                    : "event '" + name + "' sent (Lamport time " + answer.get("lamport_time").asLong() + ")");
            out().flush();
            return 0;
        }
    }

    static final String HEARTBEAT = "{\"type\":\"heartbeat\"}";

    @Command(name = "monitor", mixinStandardHelpOptions = true,
            description = "Streams membership changes and user events, one JSON object per line, until interrupted.")
    static final class Monitor extends ClientCommand {
        @Override
        public Integer call() {
            agent().stream("monitor", line -> {
                if (!line.equals(HEARTBEAT)) {
                    out().println(line);
                    out().flush();
                }
            });
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Shows the agent's node, version, uptime, settings and counters.")
    static final class Info extends ClientCommand {
        @Option(names = "--json", description = "print the agent's JSON (pretty-printed)")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String body = agent().get("info");
            JsonNode info = Json.MAPPER.readTree(body);
            out().print(json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n" : InfoLayout.render(info));
            out().flush();
            return 0;
        }
    }
}
