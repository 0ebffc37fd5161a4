package dev.grapevine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code grapevine tls ca} and {@code grapevine tls node}: the files they write parse with the JDK's
 * own certificate reader and carry what the nodes check; existing files are kept unless --force; the
 * agent refuses, in one line naming the file, TLS files that are missing or name another node.
 */
class TlsCommandsTest {

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void aCaAndANodeCertificateThatNamesTheNode(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca");
        Path n1 = dir.resolve("n1");
        CliRun made = CliRun.of("tls", "ca", "--out", ca.toString());
        assertEquals(0, made.code(), made.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca-key.pem"))));
        CliRun node = CliRun.of("tls", "node", "--ca", ca.toString(), "--name", "n1", "--out", n1.toString(),
                "--host", "10.0.0.7", "--host", "n1.example.org");
        assertEquals(0, node.code(), node.toString());
        for (String f : List.of("ca.pem", "node.pem", "node-key.pem")) {
            assertTrue(Files.isRegularFile(n1.resolve(f)), f);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(n1.resolve("node-key.pem"))));

        X509Certificate caCert = read(ca.resolve("ca.pem"));
        X509Certificate cert = read(n1.resolve("node.pem"));
        cert.verify(caCert.getPublicKey());
        assertTrue(caCert.getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals(-1, cert.getBasicConstraints(), "a node certificate is not a CA");
        assertEquals("CN=n1", cert.getSubjectX500Principal().getName());
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        assertTrue(sans.contains(List.of(6, "urn:grapevine:node:n1")), sans.toString());
        assertTrue(sans.contains(List.of(7, "10.0.0.7")), sans.toString());
        assertTrue(sans.contains(List.of(2, "n1.example.org")), sans.toString());
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "serverAuth and clientAuth: " + cert.getExtendedKeyUsage());
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertTrue(days >= 365 && days <= 366, days + " days");
        assertEquals(Files.readString(ca.resolve("ca.pem")), Files.readString(n1.resolve("ca.pem")));
    }

    @Test
    void existingFilesAreKeptUnlessForced(@TempDir Path dir) throws IOException {
        Path ca = dir.resolve("ca");
        assertEquals(0, CliRun.of("tls", "ca", "--out", ca.toString()).code());
        String before = Files.readString(ca.resolve("ca.pem"));
        CliRun again = CliRun.of("tls", "ca", "--out", ca.toString());
        assertEquals(2, again.code(), again.toString());
        assertEquals(List.of("grapevine: " + ca.resolve("ca.pem") + " exists; pass --force to replace it"),
                again.err().lines().toList());
        assertEquals(before, Files.readString(ca.resolve("ca.pem")));
        assertEquals(0, CliRun.of("tls", "ca", "--out", ca.toString(), "--force").code());
        assertTrue(!before.equals(Files.readString(ca.resolve("ca.pem"))));
    }

    @Test
    void aBadNameOrAMissingCaIsOneLine(@TempDir Path dir) {
        CliRun bad = CliRun.of("tls", "node", "--ca", dir.toString(), "--name", "a b", "--out", dir.resolve("o").toString());
        assertEquals(2, bad.code(), bad.toString());
        assertEquals(1, bad.err().lines().count(), bad.toString());
        CliRun noCa = CliRun.of("tls", "node", "--ca", dir.resolve("none").toString(), "--name", "n1", "--out", dir.resolve("o").toString());
        assertEquals(2, noCa.code(), noCa.toString());
        assertEquals(List.of("grapevine: tls node: " + dir.resolve("none").resolve("ca.pem") + ": no such readable file"),
                noCa.err().lines().toList());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theAgentRefusesMissingOrMismatchedFilesInOneLine(@TempDir Path dir) throws IOException {
        Path ca = dir.resolve("ca");
        DevCertificates.writeCa(ca, "test CA", false);
        DevCertificates.writeNode(ca, "n1", List.of(), dir.resolve("n1"), false);
        CliRun other = CliRun.of("agent", "--node", "n2", "--tls", dir.resolve("n1").toString(),
                "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort());
        assertEquals(2, other.code(), other.toString());
        assertEquals(List.of("grapevine: grapevine.tls: " + dir.resolve("n1").resolve("node.pem")
                + " is the certificate of node n1, but this node is n2"), other.err().lines().toList());

        Files.delete(dir.resolve("n1").resolve("node-key.pem"));
        CliRun missing = CliRun.of("agent", "--node", "n1", "--tls", dir.resolve("n1").toString(),
                "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort());
        assertEquals(2, missing.code(), missing.toString());
        assertEquals(List.of("grapevine: grapevine.tls: " + dir.resolve("n1").resolve("node-key.pem") + " does not exist"),
                missing.err().lines().toList());
    }
}
