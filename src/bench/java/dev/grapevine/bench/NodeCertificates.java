package dev.grapevine.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for Grapevine's mutual TLS between nodes, made by the product's own CLI
 * ({@code grapevine tls ca}, {@code grapevine tls node}), as an operator would: one CA for the run,
 * and one directory per node name (its {@code --tls}). A node's directory is made once and kept for
 * every N of the run, so a restarted node presents the same certificate.
 */
final class NodeCertificates {
    /** A CLI start on a loaded 2-core machine takes a few seconds; key generation is milliseconds. */
    private static final long COMMAND_TIMEOUT_S = 60;

    private final BenchSettings settings;
    private final Path dir;

    NodeCertificates(BenchSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
    }

    /** Node i's --tls directory: ca.pem, node.pem, node-key.pem. */
    Path dirOf(int node) {
        return dir.resolve(SystemUnderTest.nodeName(node));
    }

    /** Makes the CA, then every missing node directory of n1..nN. */
    void ensure(int n) {
        Path ca = dir.resolve("ca");
        if (!Files.exists(ca.resolve("ca.pem"))) run(List.of("tls", "ca", "--out", ca.toString()));
        for (int i = 1; i <= n; i++) {
            if (Files.exists(dirOf(i).resolve("node.pem"))) continue;
            run(List.of("tls", "node", "--ca", ca.toString(), "--name", SystemUnderTest.nodeName(i),
                    "--host", "127.0.0.1", "--out", dirOf(i).toString()));
        }
    }

    private void run(List<String> args) {
        // `timeout` bounds it: readAllBytes below waits for the end of the output.
        List<String> cmd = new ArrayList<>(List.of("timeout", Long.toString(COMMAND_TIMEOUT_S)));
        cmd.addAll(settings.javaCommand());
        cmd.addAll(List.of("-jar", settings.root().resolve("target/grapevine.jar").toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // Read before waiting: a full pipe would block the CLI. Its output is a line or two.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BenchFailure("grapevine " + String.join(" ", args) + ": no answer within " + COMMAND_TIMEOUT_S + " s");
            }
            if (p.exitValue() == 124) throw new BenchFailure("grapevine " + String.join(" ", args) + ": no answer within " + COMMAND_TIMEOUT_S + " s");
            if (p.exitValue() != 0) throw new BenchFailure("grapevine " + String.join(" ", args) + ": " + out);
        } catch (IOException e) {
            throw new BenchFailure("cannot run grapevine " + String.join(" ", args) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while making certificates");
        }
    }
}
