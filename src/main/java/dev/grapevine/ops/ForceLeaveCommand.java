package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code grapevine force-leave NAME}: removes a member that is gone for good, through
 * {@code POST /v1/force-leave/{name}} ({@link ForceLeaveHttp}). Exit 0 if it is left now (or was
 * already); 1 with the agent's reason on stderr if the agent refused (alive, unknown, the agent
 * itself); 2 for a bad name or an agent that cannot be reached.
 */
@Command(name = "force-leave", mixinStandardHelpOptions = true,
        description = "Removes a dead or suspect member for good: every node records it as left and stops reconnecting to it.")
final class ForceLeaveCommand extends ClientCommands.ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the member's name, as `grapevine members` lists it")
    String name;

    @Option(names = "--json", description = "print the agent's JSON as served, also when it refuses (then with \"error\")")
    boolean json;

    @Override
    public Integer call() {
        String bad = ForceLeaveHttp.checkName(name);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        AdminClient.Reply r = agent().request("POST", "/v1/force-leave/" + AdminClient.encodeSegment(name), new byte[0]);
        JsonNode answer = KvCommands.parse(r.body());
        if (answer == null || (r.status() != 200 && !answer.hasNonNull("error"))) {
            throw new IllegalArgumentException(r.status() == 404
                    ? "the agent at " + http + " has no force-leave API (HTTP 404); is it an older version?"
                    : "the agent refused: " + KvBulkCommands.why(r));
        }
        if (r.status() != 200) {
            if (json) { // the agent's answer, for scripts: {"name","error"}
                out().println(r.body().strip());
                out().flush();
            }
            command.commandLine().getErr().println("grapevine: " + answer.get("error").asText());
            command.commandLine().getErr().flush();
            return 1;
        }
        out().println(json ? r.body().strip() : answer.path("reason").asText(name + " is left"));
        out().flush();
        return 0;
    }
}
