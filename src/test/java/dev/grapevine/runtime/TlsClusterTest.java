package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.ops.DevCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes over mutual TLS in one JVM, with certificates made by the {@code grapevine tls} commands' code:
 * a cluster forms; a certificate from another CA, a certificate for another name, and plaintext are
 * refused; a revoked node is cut off and declared dead; a rotated certificate is used by new connections.
 */
class TlsClusterTest {
    private static final Duration FORMED = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws IOException {
        DevCertificates.writeCa(dir.resolve("ca"), "test CA", false);
        DevCertificates.writeCa(dir.resolve("other-ca"), "another CA", false);
        for (String n : List.of("a", "b", "c", "d", "mallory")) {
            DevCertificates.writeNode(dir.resolve("ca"), n, List.of("127.0.0.1"), dir.resolve(n), false);
        }
        DevCertificates.writeNode(dir.resolve("other-ca"), "x", List.of("127.0.0.1"), dir.resolve("x"), false);
    }

    private static String tls(String node, Path deny) {
        return "grapevine.tls.enabled = on\n"
                + "grapevine.tls.dir = \"" + dir.resolve(node) + "\"\n"
                + "grapevine.tls.deny-file = \"" + deny + "\"\n"
                + "grapevine.tls.reload-check-interval = 200ms\n";
    }

    private static void awaitAlive(LocalCluster.Node viewer, List<String> names) {
        for (String name : names) {
            LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, FORMED);
        }
    }

    private static List<String> names(LocalCluster.Node node) {
        return LocalCluster.members(node).stream().map(Member::name).toList();
    }

    @Test
    void threeNodesFormAClusterAndOutsidersAreRefused(@TempDir Path work) {
        Path deny = work.resolve("deny");
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), tls("a", deny));
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), tls("b", deny));
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), tls("c", deny));
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                awaitAlive(viewer, List.of("a", "b", "c"));
            }
            assertEquals("b", TlsPeers.get(a.system()).certifiedAt(b.address()).orElseThrow().name());

            // Another CA: its handshakes fail, it never gets in. In TLS 1.3 the client checks the server's
            // certificate first, so x is the one that counts the refusal when it connects to a.
            LocalCluster.Node x = cluster.start("x", List.of(a.address()), tls("x", deny));
            await().atMost(FORMED).until(() -> x.metric("tls_refused_untrusted_ca") + a.metric("tls_refused_untrusted_ca") > 0);
            // Plaintext: Artery's TLS server cannot read it.
            LocalCluster.Node plain = cluster.start("plain", List.of(a.address()), "");
            // mallory's certificate is from the right CA, but it runs as "b" (modified code would: the
            // agent itself refuses to start with a certificate for another name).
            LocalCluster.Node impostor = cluster.start("b", List.of(a.address()),
                    "pekko.remote.artery.transport = tls-tcp\n"
                            + "pekko.remote.artery.ssl.ssl-engine-provider = \"" + NodeTlsEngineProvider.class.getName() + "\"\n"
                            + "grapevine.tls.dir = \"" + dir.resolve("mallory") + "\"\n"
                            + "grapevine.tls.reload-check-interval = 200ms\n");
            await().atMost(FORMED).until(() -> a.metric("identity_refused") + a.metric("tls_refused_wrong_name") > 0);
            // None of them is let in, for a while after their tries began; b keeps its own address.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
                List<String> seen = names(a);
                Member asB = LocalCluster.member(a, "b");
                return !seen.contains("x") && !seen.contains("plain") && !seen.contains("mallory")
                        && asB != null && asB.address().equals(b.address()) && asB.status() == MemberStatus.ALIVE;
            });
            assertEquals(List.of("x"), names(x));
            assertEquals(List.of("plain"), names(plain));
            assertEquals(List.of("b"), names(impostor), "the impostor learnt nobody: its join was dropped");
        }
    }

    @Test
    void aRevokedNodeIsCutOffAndDeclaredDead(@TempDir Path work) throws IOException {
        Path deny = work.resolve("deny");
        Files.writeString(deny, "# revoked nodes\n");
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), tls("a", deny));
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), tls("b", deny));
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), tls("c", deny));
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                awaitAlive(viewer, List.of("a", "b", "c"));
            }
            BigInteger serialOfC = TlsPeers.get(a.system()).certifiedAt(c.address()).orElseThrow().serial();
            Files.writeString(deny, "# revoked nodes\n" + serialOfC.toString(16) + "  # c, lost laptop\n");
            LocalCluster.awaitStatus(a, "c", MemberStatus.DEAD, FORMED);
            LocalCluster.awaitStatus(b, "c", MemberStatus.DEAD, FORMED);
            assertTrue(a.metric("identity_refused") + b.metric("identity_refused") > 0);
            assertEquals(MemberStatus.ALIVE, LocalCluster.member(a, "b").status());
        }
    }

    @Test
    void aRotatedCertificateIsUsedByNewConnections(@TempDir Path work) throws IOException {
        Path deny = work.resolve("deny");
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), tls("a", deny));
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), tls("b", deny));
            awaitAlive(a, List.of("a", "b"));
            BigInteger before = TlsPeers.get(a.system()).certifiedAt(b.address()).orElseThrow().serial();
            DevCertificates.writeNode(dir.resolve("ca"), "b", List.of("127.0.0.1"), work.resolve("b2"), false);
            for (String f : List.of("node.pem", "node-key.pem")) {
                Files.copy(work.resolve("b2").resolve(f), dir.resolve("b").resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // d connects to b after the change: b's handshake shows the new certificate.
            LocalCluster.Node d = cluster.start("d", List.of(b.address()), tls("d", deny));
            awaitAlive(d, List.of("a", "b", "d"));
            await().atMost(FORMED).untilAsserted(() -> {
                BigInteger seen = TlsPeers.get(d.system()).certifiedAt(b.address()).orElseThrow().serial();
                assertTrue(!seen.equals(before), "d saw b's old certificate " + before.toString(16));
            });
            assertNotNull(LocalCluster.member(a, "d"));
            assertNull(LocalCluster.member(a, "mallory"));
        }
    }
}
