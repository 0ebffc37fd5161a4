package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * Artery's TLS for a Grapevine node ({@code grapevine.tls}): mutual authentication with the node's PEM
 * files, node names checked and recorded by {@link NodeTrustManager}. Pekko's own
 * {@code RotatingKeysSSLEngineProvider} reads PEM files and reloads them too, but accepts a peer only
 * if it shares a subject name with this node's certificate, where every Grapevine node has a name of
 * its own; this one reads the same files and checks names instead.
 *
 * <p>The files are read again, for new connections, when one of them changes (a look at their
 * modification times at most every {@code reload-check-interval}); a set that does not read or fit
 * keeps the last good one in force and is logged. Connections already open keep their session.
 */
public final class NodeTlsEngineProvider implements SSLEngineProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GrapevineLogs.NODE);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private record Loaded(SSLContext context, FileTime newestChange) {
    }

    private final Path dir;
    private final long checkEveryNanos;
    private final TlsPeers peers;
    private final SecureRandom random = new SecureRandom();
    private volatile Loaded loaded;
    private volatile long checkedAtNanos = System.nanoTime();

    public NodeTlsEngineProvider(ActorSystem system) {
        OptionalLibrary.BOUNCY_CASTLE.require("grapevine.tls (reading PEM files)");
        Config tls = system.settings().config().getConfig("grapevine.tls");
        this.dir = Path.of(tls.getString("dir"));
        this.checkEveryNanos = tls.getDuration("reload-check-interval", TimeUnit.NANOSECONDS);
        this.peers = TlsPeers.get(system);
        String denyFile = tls.getString("deny-file");
        peers.enable(denyFile.isEmpty() ? DenyList.none()
                : new DenyList(Path.of(denyFile), tls.getDuration("reload-check-interval", TimeUnit.MILLISECONDS)));
        try {
            this.loaded = load(TlsFiles.read(dir));
        } catch (TlsFiles.Problem e) {
            throw new IllegalArgumentException("grapevine.tls: " + e.getMessage());
        }
    }

    private Loaded load(TlsFiles files) throws TlsFiles.Problem {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            char[] password = new char[0]; // in memory only
            ks.setKeyEntry("node", files.key(), password, new Certificate[]{files.cert()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[]{new NodeTrustManager(files.cas(), peers)}, random);
            return new Loaded(ctx, files.newestChange());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsFiles.Problem("the files in " + dir + " make no TLS context: " + e.getMessage());
        }
    }

    private SSLContext context() {
        long now = System.nanoTime();
        if (now - checkedAtNanos >= checkEveryNanos) {
            checkedAtNanos = now;
            Loaded current = loaded;
            if (!TlsFiles.newestChange(dir).equals(current.newestChange())) {
                try {
                    loaded = load(TlsFiles.read(dir));
                    LOG.info("TLS files in {} read again: new connections use them", dir);
                } catch (TlsFiles.Problem e) {
                    LOG.warn("TLS files changed but do not fit, the last good ones stay in force: {}", e.getMessage());
                    loaded = new Loaded(current.context(), TlsFiles.newestChange(dir)); // once per change
                }
            }
        }
        return loaded.context();
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        // The peer's host and port reach the trust manager through the engine (NodeTrustManager).
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return Option.empty(); // the trust manager checked the certificate during the handshake
    }

    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return Option.empty();
    }
}
