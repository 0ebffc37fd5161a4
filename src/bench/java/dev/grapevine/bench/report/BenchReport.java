package dev.grapevine.bench.report;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Turns bin/bench's JSONL results into tables, plots and a one-line summary comparing Grapevine with
 * Serf and Pekko Cluster. Exit 0 on success, 2 on bad input or usage, 1 when an output cannot be written.
 */
@Command(name = "BenchReport",
        description = "Markdown tables, PNG plots and a JSON summary from bin/bench's JSONL result files.")
public final class BenchReport implements Callable<Integer> {
    static final int EXIT_BAD_INPUT = 2;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the tables here.")
    Path markdown;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write the PNG bar charts into this directory.")
    Path plotsDir;

    @Option(names = "--summary", description = "Print one line of JSON with the ratios on stdout.")
    boolean summary;

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "JSONL result files, one JSON object per line.")
    List<Path> files;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");   // XChart draws with AWT; there is no display on a bench host
        System.exit(new CommandLine(new BenchReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Results results;
        try {
            results = new Results(ResultFiles.read(files));
        } catch (BadInputException e) {
            System.err.println("BenchReport: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (results.nodeCounts().isEmpty()) {
            System.err.println("BenchReport: no result lines in " + files);
            return EXIT_BAD_INPUT;
        }
        List<Path> plots = plotsDir == null ? List.of() : BenchPlots.write(results, plotsDir);
        if (markdown != null) {
            Path dir = markdown.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(markdown, MarkdownReport.render(results, files, plots, dir), StandardCharsets.UTF_8);
        } else if (!summary && plotsDir == null) {
            // Asked for nothing: the tables on stdout are the most useful default.
            System.out.print(MarkdownReport.render(results, files, plots, Path.of("")));
        }
        if (summary) {
            System.out.println(SummaryLine.of(results));
        }
        return 0;
    }
}
