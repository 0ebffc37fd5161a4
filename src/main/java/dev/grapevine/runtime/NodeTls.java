package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.Path;

/**
 * Turns {@code grapevine.tls} into Pekko's settings: with {@code enabled = on}, Artery runs over
 * {@code tls-tcp} with {@link NodeTlsEngineProvider}, which always requires the client's certificate
 * (mutual authentication; Pekko's {@code require-mutual-authentication} applies to its own providers).
 * The files are read here first, so that a missing, unreadable or mismatched one stops the node with
 * one line naming it, before Pekko starts.
 */
final class NodeTls {
    private NodeTls() {
    }

    /** {@code config} with the transport {@code grapevine.tls} asks for, in front of it. */
    public static Config transport(Config config) {
        if (!config.hasPath("grapevine.tls.enabled") || !config.getBoolean("grapevine.tls.enabled")) {
            return config;
        }
        String dirText = config.getString("grapevine.tls.dir");
        if (dirText.isEmpty()) {
            throw new IllegalArgumentException("grapevine.tls.dir: empty, but TLS is enabled; give the directory of "
                    + TlsFiles.CA + ", " + TlsFiles.CERT + " and " + TlsFiles.KEY);
        }
        java.time.Duration check;
        try {
            check = config.getDuration("grapevine.tls.reload-check-interval");
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("grapevine.tls.reload-check-interval: not a duration (" + e.getMessage() + ")");
        }
        if (check.compareTo(java.time.Duration.ofMillis(100)) < 0 || check.compareTo(java.time.Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("grapevine.tls.reload-check-interval = " + check.toMillis() + " ms: must be in 100ms..1h");
        }
        Path dir = Path.of(dirText).toAbsolutePath();
        String missing = OptionalLibrary.BOUNCY_CASTLE.missingFor("grapevine.tls (reading PEM files)");
        if (missing != null) {
            throw new IllegalArgumentException(missing);
        }
        TlsFiles files;
        try {
            files = TlsFiles.read(dir);
        } catch (TlsFiles.Problem e) {
            throw new IllegalArgumentException("grapevine.tls: " + e.getMessage());
        }
        String name = config.getString("grapevine.node.name");
        if (name.isEmpty()) {
            name = config.getString("pekko.remote.artery.canonical.hostname") + ":"
                    + config.getInt("pekko.remote.artery.canonical.port");
        }
        if (!files.nodeName().equals(name)) {
            throw new IllegalArgumentException("grapevine.tls: " + dir.resolve(TlsFiles.CERT) + " is the certificate of node "
                    + files.nodeName() + ", but this node is " + name);
        }
        return ConfigFactory.empty()
                .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue("pekko.remote.artery.ssl.ssl-engine-provider",
                        ConfigValueFactory.fromAnyRef(NodeTlsEngineProvider.class.getName()))
                .withValue("grapevine.tls.dir", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withFallback(config);
    }
}
