package dev.grapevine.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code grapevine tls ca} and {@code grapevine tls node}: development certificates for mutual TLS
 * between nodes (see {@link DevCertificates} and docs/operations.md, "TLS and node identity").
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Makes certificates for mutual TLS between nodes (development and tests).",
        subcommands = {TlsCommands.Ca.class, TlsCommands.Node.class})
final class TlsCommands {

    @Command(name = "ca", mixinStandardHelpOptions = true,
            description = "Writes a new certificate authority: ca.pem and ca-key.pem (mode 0600).")
    static final class Ca implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into")
        Path out;

        @Option(names = "--force", description = "replace existing files")
        boolean force;

        @Override
        public Integer call() {
            try {
                DevCertificates.writeCa(out, "Grapevine development CA", force);
            } catch (IOException e) {
                throw new IllegalArgumentException("tls ca: " + e.getMessage());
            }
            System.out.println("wrote " + out.resolve(DevCertificates.CA_CERT) + " and " + out.resolve(DevCertificates.CA_KEY));
            return 0;
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Writes a node certificate signed by the CA: ca.pem, node.pem and node-key.pem (mode 0600).")
    static final class Node implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "DIR", description = "directory of ca.pem and ca-key.pem")
        Path ca;

        @Option(names = "--name", required = true, description = "the node's name (its --node), put in CN and the SAN urn:grapevine:node:NAME")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into (the agent's --tls)")
        Path out;

        @Option(names = "--host", paramLabel = "H", description = "DNS name or IP address added as a SAN; repeatable")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--force", description = "replace existing files")
        boolean force;

        @Override
        public Integer call() {
            try {
                DevCertificates.writeNode(ca, name, hosts, out, force);
            } catch (IOException e) {
                throw new IllegalArgumentException("tls node: " + e.getMessage());
            }
            System.out.println("wrote " + out.resolve(DevCertificates.NODE_CERT) + " for node " + name
                    + " (and " + DevCertificates.NODE_KEY + ", " + DevCertificates.CA_CERT + ")");
            return 0;
        }
    }
}
