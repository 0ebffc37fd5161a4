package dev.grapevine.ops;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a guarded admin API: its token from --token-file or $GRAPEVINE_TOKEN, and HTTPS with --ca. */
class AdminClientSecurityTest {
    private AdminServer server;

    @AfterEach
    void stop() {
        ClientCommands.ClientCommand.env = System::getenv;
        if (server != null) {
            server.stop();
        }
    }

    /** One member, "a", for `grapevine members`; anything else as the echo routes answer. */
    private static AdminServer.Routes oneMember() {
        AdminServer.Routes echo = AdminSecurityTest.echo();
        return call -> call.is("v1", "members")
                ? CompletableFuture.completedFuture(HttpReply.ok(Map.of("members", List.of(Map.of("name", "a",
                        "address", "127.0.0.1:7946", "status", "alive", "incarnation", 0, "tags", Map.of())))))
                : echo.route(call);
    }

    private String guarded(Path dir, javax.net.ssl.SSLContext tls) throws Exception {
        AdminToken token = AdminToken.read(AdminSecurityTest.tokenFile(dir, AdminSecurityTest.TOKEN), "the admin token file");
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), oneMember(), new AdminSecurity(token, true, tls));
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void theCliSendsTheTokenOfItsFileOrOfTheEnvironment(@TempDir Path dir) throws Exception {
        String http = guarded(dir, null);
        CliRun without = CliRun.of("members", "--http", http);
        assertEquals(2, without.code(), without.toString());
        assertEquals("grapevine: the agent refused: " + AdminAuth.NEEDS_TOKEN + "\n", without.err(), without.toString());

        CliRun withFile = CliRun.of("members", "--http", http, "--token-file", dir.resolve("admin.token").toString());
        assertEquals(0, withFile.code(), withFile.toString());
        assertTrue(withFile.out().startsWith("a "), withFile.toString());

        ClientCommands.ClientCommand.env = name -> name.equals("GRAPEVINE_TOKEN") ? AdminSecurityTest.TOKEN : null;
        CliRun withEnv = CliRun.of("members", "--http", http);
        assertEquals(0, withEnv.code(), withEnv.toString());
        CliRun kv = CliRun.of("kv", "put", "--http", http, "k", "v");
        assertTrue(!kv.err().contains(AdminAuth.NEEDS_TOKEN), "the key-value commands share the token: " + kv);

        ClientCommands.ClientCommand.env = name -> name.equals("GRAPEVINE_TOKEN") ? "wrong-token-wrong-token" : null;
        CliRun wrong = CliRun.of("members", "--http", http);
        assertEquals(2, wrong.code(), wrong.toString());
        CliRun missingFile = CliRun.of("members", "--http", http, "--token-file", dir.resolve("nope").toString());
        assertTrue(missingFile.err().contains("cannot read --token-file " + dir.resolve("nope")), missingFile.toString());
    }

    @Test
    void httpsWithTheNodesPemFiles(@TempDir Path dir) throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        selfSigned(tls);
        String http = guarded(dir, AdminTls.server(tls));
        CliRun run = CliRun.of("members", "--http", "https://" + http, "--ca", tls.resolve("ca.pem").toString(),
                "--token-file", dir.resolve("admin.token").toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("a "), run.toString());

        CliRun untrusted = CliRun.of("members", "--http", "https://" + http, "--token-file", dir.resolve("admin.token").toString());
        assertEquals(2, untrusted.code(), untrusted.toString());
        assertTrue(untrusted.err().contains("pass --ca FILE"), untrusted.toString());
    }

    @Test
    void aTlsDirectoryWithoutItsFilesIsOneLine(@TempDir Path dir) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AdminTls.server(dir));
        assertEquals("cannot read the certificate file " + dir.resolve("node.pem") + " (NoSuchFileException)", e.getMessage());
    }

    /** node.pem, node-key.pem and ca.pem (the same certificate) for 127.0.0.1 and localhost. */
    static void selfSigned(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=grapevine-test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509CertificateHolder cert = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        Files.writeString(dir.resolve("node.pem"), pem(cert));
        Files.writeString(dir.resolve("ca.pem"), pem(cert));
        Files.writeString(dir.resolve("node-key.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null)));
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
