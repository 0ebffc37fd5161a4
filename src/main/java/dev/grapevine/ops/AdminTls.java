package dev.grapevine.ops;

import org.apache.pekko.pki.pem.DERPrivateKeyLoader;
import org.apache.pekko.pki.pem.PEMDecoder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * TLS for the admin API from PEM files, the same a node's own TLS uses: {@code node.pem} (this
 * node's certificate, then its chain) and {@code node-key.pem} (its PKCS#8 or PKCS#1 key) in one
 * directory. The CLI's side trusts a {@code ca.pem}.
 */
final class AdminTls {
    static final String CERT_FILE = "node.pem";
    static final String KEY_FILE = "node-key.pem";
    static final String CA_FILE = "ca.pem";
    private static final char[] IN_MEMORY = new char[0]; // the key store never leaves the process

    private AdminTls() {
    }

    /** The server's context from {@code dir}. @throws IllegalArgumentException naming the file and the problem */
    static SSLContext server(Path dir) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        Collection<? extends Certificate> chain = certificates(certFile);
        PrivateKey key;
        try {
            key = privateKey(PEMDecoder.decode(Files.readString(keyFile, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the admin API's TLS key " + keyFile + " (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the admin API's TLS key " + keyFile
                    + " is not a PEM private key (PKCS#8: RSA, EC or EdDSA; or PKCS#1 RSA)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("admin", key, IN_MEMORY, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, IN_MEMORY);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the admin API's TLS key " + keyFile + " does not go with the certificate "
                    + certFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Pekko's loader reads RSA keys (PKCS#1 and PKCS#8); a PKCS#8 EC or EdDSA key is read by the JDK. */
    private static PrivateKey privateKey(PEMDecoder.DERData der) throws GeneralSecurityException {
        try {
            return DERPrivateKeyLoader.load(der);
        } catch (Exception notRsa) { // Pekko's PEMLoadingException, or the JDK's on a key that is not RSA
            if (!der.label().equals("PRIVATE KEY")) {
                throw new InvalidKeySpecException(notRsa);
            }
            for (String algorithm : new String[] {"EC", "Ed25519", "Ed448"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der.bytes()));
                } catch (InvalidKeySpecException notThisOne) {
                    // the next
                }
            }
            throw new InvalidKeySpecException(notRsa);
        }
    }

    /** A client's context trusting the certificates in {@code caFile} (and no others). */
    static SSLContext trusting(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot trust " + caFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Collection<? extends Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the certificate file " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a PEM certificate");
        }
    }
}
