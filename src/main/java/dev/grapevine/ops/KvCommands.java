package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code grapevine kv ...}: reads and writes the replicated key-value store through an agent's admin API:
 * <pre>
 *   PUT    /kv/{key}            body: the value  200 {"key","acks"}   503 {"key","acks","error"}   400 {"error"}
 *   GET    /kv/{key}                             200 {"key","value","version"}   404 {"key","error"}   503 {"error"}
 *   DELETE /kv/{key}                             200 {"key","acks"}   503 as PUT
 *   GET    /kv/{key}/replicas                    200 {"key","partition","replicas":[{"node","status","version","value"}]}
 * </pre>
 * The key is one percent-encoded path segment, so it may hold '/', spaces and any Unicode. A 503 (too few
 * replicas answered) and a 404 are answers: a message on stderr and exit 1. A 400 is bad input: exit 2.
 */
@Command(name = "kv", mixinStandardHelpOptions = true,
        description = "Reads and writes the replicated key-value store through a running agent.",
        subcommands = {KvCommands.Put.class, KvCommands.Get.class, KvCommands.Delete.class, KvCommands.Replicas.class,
                KvBulkCommands.Load.class, KvBulkCommands.Verify.class})
final class KvCommands implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    static String path(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the key must not be empty");
        }
        return "/kv/" + AdminClient.encodeSegment(key);
    }

    /** What the single-key commands share: the request, and what to do with a status other than 200. */
    abstract static class KeyCommand extends ClientCommands.ClientCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--json", description = "print the agent's JSON answer")
        boolean json;

        PrintWriter err() {
            return command.commandLine().getErr();
        }

        /**
         * Sends the request; a 200 is returned parsed, a 404/503 in the contract's shape is reported and
         * gives {@code null} (exit 1), anything else is an error.
         */
        JsonNode send(String method, String path, byte[] body) throws Exception {
            AdminClient.Reply r = agent().request(method, path, body);
            JsonNode answer = parse(r.body());
            if (r.status() == 200 && answer != null) {
                return answer;
            }
            String error = answer != null && answer.hasNonNull("error") ? answer.get("error").asText() : r.body().strip();
            if (r.status() == 400) {
                throw new IllegalArgumentException(key + ": " + error);
            }
            boolean ours = answer != null && answer.has("key");
            if (r.status() == 404 && !ours) {
                throw new IllegalArgumentException("the agent at " + http + " has no " + path.substring(0, 3)
                        + " API (HTTP 404: " + error + "); is it an older version?");
            }
            if ((r.status() == 404 || r.status() == 503) && answer != null) {
                if (json) {
                    out().println(Json.write(answer));
                    out().flush();
                }
                if (r.status() == 404) {
                    err().println("grapevine: " + key + " not found");
                } else {
                    err().println("grapevine: " + key + ": " + error
                            + (answer.has("acks") ? " (" + answer.get("acks").asInt() + " acks)" : ""));
                }
                err().flush();
                return null;
            }
            throw new IllegalArgumentException("the agent refused: HTTP " + r.status() + ": " + error);
        }

        int print(JsonNode answer, String human) {
            out().println(json ? Json.write(answer) : human);
            out().flush();
            return 0;
        }
    }

    static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Writes VALUE under KEY; prints the number of replicas that acknowledged.")
    static final class Put extends KeyCommand {
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() throws Exception {
            JsonNode r = send("PUT", path(key), value.getBytes(StandardCharsets.UTF_8));
            return r == null ? 1 : print(r, "OK (" + r.path("acks").asInt() + " acks)");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints the value of KEY.")
    static final class Get extends KeyCommand {
        @Override
        public Integer call() throws Exception {
            JsonNode r = send("GET", path(key), null);
            return r == null ? 1 : print(r, r.path("value").asText());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes KEY; prints the number of replicas that acknowledged.")
    static final class Delete extends KeyCommand {
        @Override
        public Integer call() throws Exception {
            JsonNode r = send("DELETE", path(key), null);
            return r == null ? 1 : print(r, "OK (" + r.path("acks").asInt() + " acks)");
        }
    }

    @Command(name = "replicas", mixinStandardHelpOptions = true,
            description = "Shows what each replica of KEY holds (values cut at " + Replicas.VALUE_CHARS_SHOWN + " characters; --json has them whole).")
    static final class Replicas extends KeyCommand {
        static final int VALUE_CHARS_SHOWN = 40;

        @Override
        public Integer call() throws Exception {
            JsonNode r = send("GET", path(key) + "/replicas", null);
            if (r == null) {
                return 1;
            }
            if (json) {
                return print(r, null);
            }
            out().println("key " + r.path("key").asText() + ", partition " + r.path("partition").asText());
            out().printf("%-24s %-8s %-28s %s%n", "NODE", "STATUS", "VERSION", "VALUE");
            for (JsonNode replica : r.path("replicas")) {
                out().printf("%-24s %-8s %-28s %s%n", replica.path("node").asText(), replica.path("status").asText(),
                        text(replica.get("version")), shorten(text(replica.get("value"))));
            }
            out().flush();
            return 0;
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? "-" : n.asText();
        }

        private static String shorten(String value) {
            return value.length() <= VALUE_CHARS_SHOWN ? value : value.substring(0, VALUE_CHARS_SHOWN) + "...";
        }
    }
}
