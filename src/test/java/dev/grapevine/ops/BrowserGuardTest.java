package dev.grapevine.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a web page in an operator's browser can make the browser send to the admin API, and what it gets. */
class BrowserGuardTest {
    private static final int READ_TIMEOUT_MILLIS = 20_000;
    private AdminServer server;
    private int port;

    private void start(AdminSecurity security) throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), AdminSecurityTest.echo(), security);
        port = server.address().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The status line's code, for a request written byte for byte (HttpClient will not forge Host). */
    private int status(String method, String host, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            StringBuilder request = new StringBuilder(method + " /v1/leave HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            request.append("Content-Length: 1\r\nConnection: close\r\n\r\nx");
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(line.split(" ")[1]);
        }
    }

    @Test
    void aCrossSiteFormPostIsRefusedAndTheDashboardsOwnPostPasses() throws Exception {
        start(AdminSecurity.open());
        String self = "127.0.0.1:" + port;
        assertEquals(403, status("POST", self, "Origin: https://evil.example"));
        assertEquals(403, status("POST", self, "Origin: null"));
        assertEquals(403, status("POST", self, "Origin: http://127.0.0.1:" + (port + 1)));
        assertEquals(403, status("POST", self, "Sec-Fetch-Site: cross-site"));
        assertEquals(200, status("POST", self, "Origin: http://" + self));
        assertEquals(200, status("POST", self, "Sec-Fetch-Site: same-origin"));
        assertEquals(200, status("POST", self), "the CLI and curl send no Origin");
    }

    @Test
    void aTokenlessApiAnswersOnlyToLoopbackNamesSoDnsRebindingCannotReadIt() throws Exception {
        start(AdminSecurity.open());
        assertEquals(403, status("GET", "attacker.example:" + port));
        assertEquals(403, status("GET", "127.0.0.1.attacker.example:" + port));
        assertEquals(200, status("GET", "localhost:" + port));
        assertEquals(200, status("GET", "127.0.0.1:" + port));
        assertEquals(200, status("GET", "[::1]:" + port));
    }

    @Test
    void withATokenAnyHostNamePassesToTheTokenCheck(@TempDir Path dir) throws Exception {
        AdminToken token = AdminToken.read(AdminSecurityTest.tokenFile(dir, AdminSecurityTest.TOKEN), "the admin token file");
        start(new AdminSecurity(token, true, null));
        assertEquals(200, status("GET", "node1.example:" + port, "Authorization: Bearer " + AdminSecurityTest.TOKEN));
        assertEquals(403, status("POST", "node1.example:" + port, "Authorization: Bearer " + AdminSecurityTest.TOKEN,
                "Origin: https://evil.example"));
    }

    @Test
    void loopbackNamesAreAddressesOrLocalhostOnly() {
        assertTrue(BrowserGuard.loopbackName("127.0.0.1"));
        assertTrue(BrowserGuard.loopbackName("127.1.2.3"));
        assertTrue(BrowserGuard.loopbackName("localhost"));
        assertTrue(BrowserGuard.loopbackName("app.localhost"));
        assertTrue(BrowserGuard.loopbackName("::1"));
        assertFalse(BrowserGuard.loopbackName("127.0.0.1.nip.io"));
        assertFalse(BrowserGuard.loopbackName("127.0.0.256"));
        assertFalse(BrowserGuard.loopbackName("10.0.0.1"));
        assertEquals("::1", BrowserGuard.hostPart("[::1]:8080"));
        assertEquals("a", BrowserGuard.hostPart("a:80"));
    }
}
