package dev.grapevine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code grapevine agent} refused at start, in-process: a bad configuration exits 2 with every
 * problem of every section (the node's and the key-value store's) in one message; a port another
 * process holds exits 1 with one line naming the port and the flag that set it.
 */
class AgentStartErrorsTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void everyProblemOfTheNodeAndTheKeyValueStoreInOneMessage(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("node1.conf");
        Files.writeString(conf, String.join("\n",
                "grapevine {",
                "  protocol.probe-intervall = 2s",
                "  kv.enable = false",
                "  kv.write-quorum = 9",
                "  recovery.max-attempts = 0",
                "}"));
        CliRun run = CliRun.of("agent", "--config", conf.toString(), "--bind", "127.0.0.1:" + freePort(),
                "--http", "127.0.0.1:" + freePort());
        assertEquals(2, run.code(), run.toString());
        assertEquals(List.of(
                "grapevine configuration has 4 problems:",
                "  unknown key grapevine.kv.enable (" + conf + ": 3); did you mean grapevine.kv.enabled?",
                "  unknown key grapevine.protocol.probe-intervall (" + conf + ": 2); did you mean grapevine.protocol.probe-interval?",
                "  grapevine.recovery.max-attempts = 0: must be in 1..1000",
                "  grapevine.kv.write-quorum = 9: must be 1..replication-factor (3)"), run.err().lines().toList(), run.toString());
        assertEquals("", run.out());
    }

    @Test
    void theAdminAddressOfTheConfigIsChecked(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("node1.conf");
        Files.writeString(conf, "grapevine.admin.http = nohost\n");
        CliRun run = CliRun.of("agent", "--config", conf.toString(), "--bind", "127.0.0.1:" + freePort());
        assertEquals(2, run.code(), run.toString());
        assertEquals("grapevine configuration: grapevine.admin.http = nohost: must be \"HOST:PORT\" of the admin API\n",
                run.err(), run.toString());
    }

    @Test
    void tagsOverTheLimitAreRefusedBeforeTheNodeStarts() throws IOException {
        CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort(),
                "--tag", "role=db", "--tag", "notes=" + "n".repeat(1000));
        assertEquals(2, run.code(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith("grapevine configuration: grapevine.node.tags = {"), run.toString());
        assertTrue(run.err().strip().endsWith("take 1011 bytes (keys and values, UTF-8); the limit is 816 "
                + "(the member limit of 1024 less 208 for the node's own)"), run.toString());
    }

    @Test
    void aTakenPeerPortIsOneLineNamingTheFlag() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + port, "--http", "127.0.0.1:" + freePort());
            assertEquals(1, run.code(), run.toString());
            assertEquals("grapevine agent: cannot listen for peers on 127.0.0.1:" + port
                    + " (--bind / pekko.remote.artery.canonical.port): address already in use\n", run.err(), run.toString());
            assertEquals("", run.out());
        }
    }

    @Test
    void aTakenAdminPortIsOneLineNamingTheFlag() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + port);
            assertEquals(1, run.code(), run.toString());
            assertEquals("grapevine agent: cannot serve the admin API on 127.0.0.1:" + port
                    + " (--http / grapevine.admin.http): address already in use\n", run.err(), run.toString());
        }
    }

    @Test
    void theFailureIsReadFromTheBindExceptionPekkoWraps() {
        RuntimeException artery = new RuntimeException("Failed to bind TCP to [127.0.0.1:7946] due to: Bind failed because of "
                + "java.net.BindException: [/127.0.0.1:7946] Address already in use",
                new java.net.BindException("[/127.0.0.1:7946] Address already in use"));
        assertTrue(CannotListen.isBindFailure(artery));
        assertEquals("address already in use", CannotListen.reason(artery));
        assertEquals("cannot assign requested address",
                CannotListen.reason(new java.net.BindException("Cannot assign requested address")));
        assertTrue(!CannotListen.isBindFailure(new IllegalStateException("no provider")));
        // A --bind or --http host that does not resolve: NIO's exception has no message, a ServerSocket's says so.
        assertTrue(CannotListen.isBindFailure(new java.nio.channels.UnresolvedAddressException()));
        assertEquals("its host name does not resolve", CannotListen.reason(new java.nio.channels.UnresolvedAddressException()));
        assertEquals("its host name does not resolve", CannotListen.reason(new java.net.SocketException("Unresolved address")));
    }

    @Test
    void anEmptyNodeNameIsRefusedNotReplacedByTheDefault() throws IOException {
        CliRun run = CliRun.of("agent", "--node", "", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort());
        assertEquals(2, run.code(), run.toString());
        assertEquals("grapevine: --node: the name is empty; leave the flag out to name the node after --bind\n", run.err(), run.toString());
    }

    @Test
    void anUnknownProfileNamesTheFlag() throws IOException {
        CliRun run = CliRun.of("agent", "--profile", "foo", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort());
        assertEquals(2, run.code(), run.toString());
        assertEquals("grapevine: --profile: unknown profile 'foo'; choose one of lan, wan, local\n", run.err(), run.toString());
    }

    @Test
    void aBadAddressFlagIsNamed() throws IOException {
        for (String flag : List.of("--bind", "--http", "--join")) {
            List<String> args = new java.util.ArrayList<>(List.of("agent", flag, "nohost:abc"));
            for (String other : List.of("--bind", "--http")) {
                if (!other.equals(flag)) {
                    args.addAll(List.of(other, "127.0.0.1:" + freePort()));
                }
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.code(), run.toString());
            assertEquals("grapevine: " + flag + ": expected HOST:PORT with a numeric port, but got 'nohost:abc'\n",
                    run.err(), run.toString());
        }
    }

    @Test
    void anAdminApiOffLoopbackWithoutATokenIsRefusedWithTheWayOut() throws IOException {
        int port = freePort();
        CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "0.0.0.0:" + port);
        assertEquals(2, run.code(), run.toString());
        assertEquals("grapevine configuration: the admin API would listen on 0.0.0.0:" + port + ", which other hosts "
                + "reach, without a token: pass --admin-token-file FILE (or set grapevine.admin.token-file), "
                + "or listen on 127.0.0.1\n", run.err(), run.toString());
    }

    @Test
    void aTokenFileOthersCanReadIsRefused(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("admin.token"), "0123456789abcdef0123\n");
        try {
            Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "0.0.0.0:" + freePort(),
                "--admin-token-file", token.toString());
        assertEquals(2, run.code(), run.toString());
        assertEquals("grapevine configuration: grapevine.admin.token-file: the admin token file " + token
                + " can be read by any user; `chmod 600 " + token + "`\n", run.err(), run.toString());
    }

    @Test
    void aFileWhereTheDataDirShouldBeIsOneLineWithItsOwnExitCode(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort(),
                "--data-dir", file.toString());
        assertEquals(CannotUseDataDir.EXIT_CODE, run.code(), run.toString());
        assertEquals("grapevine agent: cannot use the data dir " + file
                + " (--data-dir / grapevine.node.data-dir): it is a file, not a directory\n", run.err(), run.toString());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aDataDirThisUserCannotWriteIsOneLine(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        assertTrue(data.toFile().setWritable(false, false));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(data), "root writes anyway");
            CliRun run = CliRun.of("agent", "--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort(),
                    "--data-dir", data.toString());
            assertEquals(CannotUseDataDir.EXIT_CODE, run.code(), run.toString());
            assertEquals("grapevine agent: cannot use the data dir " + data
                    + " (--data-dir / grapevine.node.data-dir): permission denied (not writable by this user)\n",
                    run.err(), run.toString());
        } finally {
            data.toFile().setWritable(true, true);
        }
    }
}
