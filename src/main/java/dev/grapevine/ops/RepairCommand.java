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
    public Integer call() {
        String body = agent().post("recovery/repair", new byte[0]);
        if (json) {
            out().println(body.strip());
        } else {
            out().println("repair round started on the agent at " + http
                    + ": each partition it owns is compared with its co-owners");
            out().println("follow it with `grapevine recovery --http " + http + "` (routine_pending falls to 0 when it is done)");
        }
        out().flush();
        return 0;
    }
}
