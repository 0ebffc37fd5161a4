package dev.grapevine.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code grapevine repair}: starts a round of anti-entropy on the agent's node now
 * ({@code POST /v1/recovery/repair}), as {@code nodetool repair} does; it does not wait for the round.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Starts a round of anti-entropy on the agent's node now; follow it with `grapevine recovery`.")
final class RepairCommand extends ClientCommands.ClientCommand {
    @Option(names = "--json", description = "print the agent's JSON as served")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String body = agent().post("recovery/repair", new byte[0]);
        com.fasterxml.jackson.databind.JsonNode answer = Json.MAPPER.readTree(body);
        if (json) {
            out().println(body.strip());
        } else if (answer.path("repair").asText().equals("nothing")) {
            out().println("nothing to repair on the agent at " + http + ": " + answer.path("reason").asText());
        } else {
            String owned = answer.path("partitions_owned").isNumber()
                    ? " (" + answer.get("domain").asText() + ", " + answer.get("partitions_owned").asLong() + " partitions)" : "";
            out().println("repair round started on the agent at " + http + owned
                    + ": each partition it owns is compared with its co-owners");
            out().println("follow it with `grapevine recovery --http " + http + "` (routine_pending falls to 0 when it is done)");
        }
        out().flush();
        return 0;
    }
}
