package dev.grapevine.ops;

import dev.grapevine.sim.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code grapevine} command line. */
@Command(name = "grapevine", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Gossip-based membership, failure detection and recovery.",
        subcommands = {AgentCommand.class, DemoCommand.class, ClientCommands.Members.class, ClientCommands.Join.class,
                ClientCommands.Leave.class, ClientCommands.Event.class, ClientCommands.Monitor.class,
                ClientCommands.Info.class, KvCommands.class, RecoveryCommand.class, ForceLeaveCommand.class, SimulateCommand.class,
                StatusCommand.class, RepairCommand.class, TagsCommand.class,
                TlsCommands.class})
public final class GrapevineCli implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; bad input gives one clear line on stderr and exit code 2. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, for callers (and tests) that set its output streams. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GrapevineCli());
        // A mistyped flag: one line, a suggestion if there is one, and where the usage is; not the
        // whole usage text, which buries the line that says what was wrong.
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
            cmd.getErr().println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("grapevine: " + message(e));
                return 2;
            }
            if (e instanceof DemoCommand.DemoFailed) {
                cmd.getErr().println("grapevine demo: " + e.getMessage());
                return 1;
            }
            // Anything else is a failure to run, not bad input: still one line, never a stack trace.
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": failed: " + message(e));
            return 1;
        });
        return cli;
    }

    /** An exception's message, its first line only (a parser's tells where, on the next), or its type when it has none (NIO's, say). */
    static String message(Throwable e) {
        String message = e.getMessage() == null ? null : e.getMessage().lines().findFirst().orElse("");
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e instanceof IllegalArgumentException ? message : e.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
