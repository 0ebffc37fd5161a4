package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Trusts a peer's certificate when the node's CA signed it (the JDK's PKIX checks), it names a node,
 * and the deny list does not name it; when this node connects out, the certificate must also name the
 * member that the view puts at that address (any node for an address the view does not know yet, such
 * as a seed), and the name is then recorded for that address ({@link TlsPeers}). Every refusal is
 * counted and logged, rate-limited, by reason.
 */
final class NodeTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager pkix;
    private final TlsPeers peers;

    NodeTrustManager(java.util.List<X509Certificate> cas, TlsPeers peers) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trust.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("grapevine-ca-" + i, cas.get(i));
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(trust);
        X509TrustManager found = null;
        for (var tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                found = x;
            }
        }
        if (found == null) {
            throw new GeneralSecurityException("no X.509 trust manager in " + f.getAlgorithm());
        }
        this.pkix = found;
        this.peers = peers;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        // The server side is not told the client's address (see TlsPeers): CA, name and deny list only.
        check(chain, authType, null, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        Address peer = engine == null || engine.getPeerHost() == null || engine.getPeerPort() <= 0
                ? null : new Address(engine.getPeerHost(), engine.getPeerPort());
        check(chain, authType, peer, false);
    }

    private void check(X509Certificate[] chain, String authType, Address peer, boolean client) throws CertificateException {
        String at = peer == null ? "an inbound connection" : peer.toString();
        try {
            if (client) {
                pkix.checkClientTrusted(chain, authType);
            } else {
                pkix.checkServerTrusted(chain, authType);
            }
        } catch (CertificateException e) {
            String subject = chain == null || chain.length == 0 ? "none" : chain[0].getSubjectX500Principal().getName();
            peers.refuse(TlsPeers.Refusal.UNTRUSTED_CA, "certificate " + subject + " at " + at);
            throw e;
        }
        X509Certificate cert = chain[0];
        String name = TlsFiles.nodeName(cert);
        if (name == null) {
            peers.refuse(TlsPeers.Refusal.WRONG_NAME, "certificate " + cert.getSubjectX500Principal().getName() + " at " + at
                    + " names no node (SAN " + TlsFiles.NODE_URI_PREFIX + "NAME)");
            throw new CertificateException("the certificate names no node");
        }
        if (peers.denied(name, cert.getSerialNumber())) {
            peers.refuse(TlsPeers.Refusal.REVOKED, "node " + name + " (serial " + cert.getSerialNumber().toString(16) + ") at " + at);
            throw new CertificateException("the certificate of node " + name + " is revoked");
        }
        if (peer != null) {
            Optional<String> expected = peers.expectedAt(peer);
            if (expected.isPresent() && !expected.get().equals(name)) {
                peers.refuse(TlsPeers.Refusal.WRONG_NAME, "certificate for node " + name + " at " + peer
                        + ", where the view has member " + expected.get());
                peers.certified(peer, name, cert.getSerialNumber()); // so its messages claiming the member are dropped too
                throw new CertificateException("the certificate names node " + name + ", not " + expected.get());
            }
            peers.certified(peer, name, cert.getSerialNumber());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, null, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, null, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null, false);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
