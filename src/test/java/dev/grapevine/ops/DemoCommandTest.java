package dev.grapevine.ops;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {

    @Test
    void theDemoDetectsTheCrashAndTheRejoinAndStopsCleanly() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GrapevineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--nodes", "3");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("Every node sees all 3 alive"), text);
        assertTrue(text.contains("Every survivor declared node3 dead"), text);
        assertTrue(text.contains("node3 is alive everywhere again"), text);
        assertTrue(text.strip().endsWith("Done."), text);
    }

    @Test
    void aBadSizeIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cli = GrapevineCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("demo", "--nodes", "1"));
        assertTrue(err.toString().contains("--nodes must be in 2..20"), err.toString());
    }
}
