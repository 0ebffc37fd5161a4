package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code grapevine tags set K=V... | delete K...}: changes the agent's tags at run time through
 * {@code POST /v1/tags}. With a data dir the change survives restarts and wins over the configured
 * tags for the keys it names (see {@link Grapevine#updateTags}). Keys and sizes are checked here
 * before anything is sent; the agent checks the resulting tags again.
 */
@Command(name = "tags", mixinStandardHelpOptions = true,
        description = "Sets or deletes the agent's tags at run time; kept across restarts in its data dir.",
        subcommands = {TagsCommand.Set.class, TagsCommand.Delete.class})
final class TagsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected `tags set K=V...` or `tags delete K...`");
    }

    abstract static class Change extends ClientCommands.ClientCommand {
        @Option(names = "--json", description = "print the agent's JSON as served")
        boolean json;

        int send(Map<String, String> set, List<String> delete) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("set", set);
            body.put("delete", delete);
            AdminClient.Reply r = agent().request("POST", "/v1/tags", Json.write(body).getBytes(StandardCharsets.UTF_8));
            JsonNode answer = KvCommands.parse(r.body());
            if (r.status() != 200 || answer == null) {
                throw new IllegalArgumentException(r.status() == 404
                        ? "the agent at " + http + " has no tags API (HTTP 404); is it an older version?"
                        : "the agent refused: " + (answer != null && answer.hasNonNull("error")
                        ? answer.get("error").asText() : KvBulkCommands.why(r)));
            }
            if (json) {
                out().println(r.body().strip());
            } else {
                List<String> tags = new ArrayList<>();
                answer.path("tags").fields().forEachRemaining(t -> tags.add(t.getKey() + "=" + t.getValue().asText()));
                out().println("tags: " + (tags.isEmpty() ? "(none)" : String.join(", ", tags)));
                if (!answer.path("persisted").asBoolean()) {
                    out().println("note: the agent has no data dir; this change will not survive a restart");
                }
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets tags (KEY=VALUE), keeping the others.")
    static final class Set extends Change {
        @Parameters(arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> pairs;

        @Override
        public Integer call() throws Exception {
            Map<String, String> set = new TreeMap<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("expected KEY=VALUE, but got '" + pair + "'");
                }
                Names.checkTagKey(pair.substring(0, eq));
                set.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            int bytes = dev.grapevine.core.member.Member.tagsBytes(set);
            if (bytes > Grapevine.USER_TAGS_BYTES_MAX) {
                throw new IllegalArgumentException("these tags take " + bytes + " bytes (keys and values in UTF-8); a node's tags "
                        + "take at most " + Grapevine.USER_TAGS_BYTES_MAX + " bytes");
            }
            return send(set, List.of());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes tags by key, keeping the others.")
    static final class Delete extends Change {
        @Parameters(arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Override
        public Integer call() throws Exception {
            keys.forEach(Names::checkTagKey);
            return send(Map.of(), List.copyOf(new LinkedHashSet<>(keys)));
        }
    }
}
