package dev.grapevine.ops;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Certificates for development and tests: a certificate authority, and node certificates it signs.
 * Keys are EC P-256 (small, fast handshakes, supported by every JDK 17 TLS stack). A node certificate
 * names its node twice: subject {@code CN=NAME} for people, and the SAN URI
 * {@code urn:grapevine:node:NAME}, which is what the nodes check. A production deployment can use any
 * CA that issues certificates of the same shape.
 */
public final class DevCertificates {
    /** The SAN URI prefix that names a node; the runtime reads the same form. */
    public static final String NODE_URI_PREFIX = "urn:grapevine:node:";
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String NODE_CERT = "node.pem";
    public static final String NODE_KEY = "node-key.pem";
    /** Validity of a CA: long enough that development clusters never meet its end. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration NODE_VALIDITY = Duration.ofDays(365);
    private static final Pattern HOST_IP = Pattern.compile("[0-9.]+|.*:.*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevCertificates() {
    }

    /** Writes {@code ca.pem} and {@code ca-key.pem} (mode 0600) into {@code dir}. */
    public static void writeCa(Path dir, String commonName, boolean force) throws IOException {
        refuseExisting(force, dir.resolve(CA_CERT), dir.resolve(CA_KEY));
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(b, keys.getPrivate());
            Files.createDirectories(dir);
            writePem(dir.resolve(CA_CERT), cert, false);
            writePem(dir.resolve(CA_KEY), keys.getPrivate(), true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code ca.pem}, {@code node.pem} and {@code node-key.pem} (mode 0600) into {@code out}: a
     * certificate for node {@code name} signed by the CA in {@code caDir}, with {@code hosts} as DNS or
     * IP subject alternative names.
     */
    public static void writeNode(Path caDir, String name, List<String> hosts, Path out, boolean force) throws IOException {
        checkName(name);
        refuseExisting(force, out.resolve(CA_CERT), out.resolve(NODE_CERT), out.resolve(NODE_KEY));
        X509Certificate ca = readCertificate(caDir.resolve(CA_CERT));
        PrivateKey caKey = readPrivateKey(caDir.resolve(CA_KEY));
        KeyPair keys = newKeys();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(NODE_VALIDITY)),
                    new X500Name("CN=" + name), keys.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, NODE_URI_PREFIX + name));
            for (String h : hosts) {
                sans.add(HOST_IP.matcher(h).matches()
                        ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(h).getHostAddress())
                        : new GeneralName(GeneralName.dNSName, h));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate cert = sign(b, caKey);
            Files.createDirectories(out);
            Files.writeString(out.resolve(CA_CERT), Files.readString(caDir.resolve(CA_CERT)));
            writePem(out.resolve(NODE_CERT), cert, false);
            writePem(out.resolve(NODE_KEY), keys.getPrivate(), true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the certificate of node " + name + ": " + e.getMessage(), e);
        }
    }

    /** A node name fit for a certificate: what a SAN URI and a CN can carry without escaping. */
    static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new IllegalArgumentException("--name: '" + name
                    + "' is not a node name for a certificate (1..200 of letters, digits, '.', '_', ':', '-')");
        }
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        Object o = readPem(file);
        try {
            if (o instanceof X509CertificateHolder h) {
                return new JcaX509CertificateConverter().getCertificate(h);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a readable certificate: " + e.getMessage(), e);
        }
        throw new IOException(file + ": no PEM certificate in it");
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        Object o = readPem(file);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo k) {
            return conv.getPrivateKey(k);
        }
        if (o instanceof org.bouncycastle.openssl.PEMKeyPair kp) {
            return conv.getKeyPair(kp).getPrivate();
        }
        throw new IOException(file + ": no unencrypted PEM private key in it");
    }

    private static Object readPem(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": no such readable file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            return p.readObject();
        }
    }

    private static KeyPair newKeys() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** Random 127-bit serials: unique without a counter to keep, and what a deny list names. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static void refuseExisting(boolean force, Path... files) {
        if (force) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new IllegalArgumentException(f + " exists; pass --force to replace it");
            }
        }
    }

    private static void writePem(Path file, Object o, boolean secret) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(secret ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator((PrivateKey) o, null) : o);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own ACLs apply
            }
        }
        Files.writeString(tmp, s.toString(), StandardCharsets.US_ASCII);
        // A reader (a running node reloading its files) sees the old file or the new one, never half.
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
