package dev.grapevine.runtime;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A node's TLS files, read from one directory: {@code ca.pem} (the CA that signs every node; several
 * CA certificates in it while the cluster moves from one CA to another),
 * {@code node.pem} (this node's certificate) and {@code node-key.pem} (its unencrypted PEM key).
 * Reading checks what would otherwise fail later, obscurely, in a handshake: that each file parses,
 * that the key belongs to the certificate, that the CA signed it, and that it names a node.
 */
record TlsFiles(List<X509Certificate> cas, X509Certificate cert, PrivateKey key, String nodeName, FileTime newestChange) {
    static final String CA = "ca.pem";
    static final String CERT = "node.pem";
    static final String KEY = "node-key.pem";
    /** The SAN URI form that names a node in its certificate. */
    static final String NODE_URI_PREFIX = "urn:grapevine:node:";

    /** A file that is missing, unreadable or does not fit: its message names the file and the problem. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    static TlsFiles read(Path dir) throws Problem {
        Path caFile = dir.resolve(CA);
        Path certFile = dir.resolve(CERT);
        Path keyFile = dir.resolve(KEY);
        List<X509Certificate> cas = certificates(caFile);
        X509Certificate cert = certificate(certFile);
        PrivateKey key = privateKey(keyFile);
        if (cas.stream().noneMatch(ca -> signedBy(cert, ca))) {
            throw new Problem(certFile + " is not signed by the CA in " + caFile);
        }
        if (!keyMatches(key, cert)) {
            throw new Problem(keyFile + " is not the key of the certificate in " + certFile);
        }
        String name = nodeName(cert);
        if (name == null) {
            throw new Problem(certFile + " names no node (no SAN URI " + NODE_URI_PREFIX + "NAME)");
        }
        return new TlsFiles(cas, cert, key, name, newestChange(dir));
    }

    /** The latest modification time of the three files: a change means they are read again. */
    static FileTime newestChange(Path dir) {
        FileTime newest = FileTime.fromMillis(0);
        for (String f : List.of(CA, CERT, KEY)) {
            try {
                FileTime t = Files.getLastModifiedTime(dir.resolve(f));
                newest = t.compareTo(newest) > 0 ? t : newest;
            } catch (IOException e) {
                // missing now (being replaced): the read that follows says so
            }
        }
        return newest;
    }

    /** The node a certificate names: its SAN URI {@code urn:grapevine:node:NAME}, or null. */
    static String nodeName(X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return null;
        }
        if (sans == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (List<?> san : sans) {
            // 6: uniformResourceIdentifier
            if (san.size() == 2 && Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String uri
                    && uri.startsWith(NODE_URI_PREFIX) && uri.length() > NODE_URI_PREFIX.length()) {
                names.add(uri.substring(NODE_URI_PREFIX.length()));
            }
        }
        return names.size() == 1 ? names.get(0) : null; // two names would make the identity ambiguous
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate certificate(Path file) throws Problem {
        return certificates(file).get(0);
    }

    /** Every certificate of a PEM file, at least one; at most 16 (a CA bundle in transition). */
    private static List<X509Certificate> certificates(Path file) throws Problem {
        List<X509Certificate> certs = new ArrayList<>();
        for (Object o : pem(file)) {
            if (o instanceof X509CertificateHolder h && certs.size() < 16) {
                try {
                    certs.add(new JcaX509CertificateConverter().getCertificate(h));
                } catch (GeneralSecurityException e) {
                    throw new Problem(file + " holds no usable certificate: " + e.getMessage());
                }
            }
        }
        if (certs.isEmpty()) {
            throw new Problem(file + " holds no PEM certificate");
        }
        return certs;
    }

    private static PrivateKey privateKey(Path file) throws Problem {
        Object o = pem(file).get(0);
        try {
            if (o instanceof PrivateKeyInfo k) {
                return new JcaPEMKeyConverter().getPrivateKey(k);
            }
            if (o instanceof PEMKeyPair kp) {
                return new JcaPEMKeyConverter().getKeyPair(kp).getPrivate();
            }
        } catch (IOException e) {
            throw new Problem(file + " holds no usable private key: " + e.getMessage());
        }
        throw new Problem(file + " holds no unencrypted PEM private key");
    }

    private static List<Object> pem(Path file) throws Problem {
        if (!Files.isRegularFile(file)) {
            throw new Problem(file + " does not exist");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            List<Object> blocks = new ArrayList<>();
            for (Object o = p.readObject(); o != null && blocks.size() < 64; o = p.readObject()) {
                blocks.add(o);
            }
            if (blocks.isEmpty()) {
                throw new Problem(file + " holds no PEM block");
            }
            return blocks;
        } catch (IOException | RuntimeException e) {
            throw new Problem(file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        try {
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] probe = "grapevine".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
