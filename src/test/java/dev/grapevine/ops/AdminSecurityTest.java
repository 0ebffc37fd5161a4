package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's token: who passes, who gets a 401, what stays open, the dashboard's login, and the token file's rules. */
class AdminSecurityTest {
    static final String TOKEN = "s3cret-token-of-32-characters-xx";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AdminServer server;
    private String base;

    /** Routes standing in for the node's: what they answer does not matter here, only whether a call reaches them. */
    static AdminServer.Routes echo() {
        return call -> {
            String path = String.join("/", call.segments());
            if (call.method().equals("POST") || call.method().equals("PUT")) {
                byte[] body = AdminHttp.body(call);
                return CompletableFuture.completedFuture(HttpReply.ok(Map.of("path", path, "bytes", body == null ? -1 : body.length)));
            }
            return CompletableFuture.completedFuture(HttpReply.ok(Map.of("path", path)));
        };
    }

    static Path tokenFile(Path dir, String token) throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, token + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // nothing to restrict
        }
        return file;
    }

    private void start(Path dir, boolean metricsOpen) throws Exception {
        AdminToken token = AdminToken.read(tokenFile(dir, TOKEN), "the admin token file");
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), echo(), new AdminSecurity(token, metricsOpen, null));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("x"));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTheTokenEveryRouteIs401WithTheWayToPassIt(@TempDir Path dir) throws Exception {
        start(dir, true);
        for (String[] route : List.of(new String[] {"GET", "/v1/members"}, new String[] {"POST", "/v1/leave"},
                new String[] {"PUT", "/kv/k"}, new String[] {"POST", "/v1/join"}, new String[] {"POST", "/v1/event/deploy"},
                new String[] {"POST", "/v1/recovery/repair"}, new String[] {"GET", "/ui/events"})) {
            HttpResponse<String> r = call(route[0], route[1], null);
            assertEquals(401, r.statusCode(), route[0] + " " + route[1] + ": " + r.body());
            assertEquals("Bearer realm=\"grapevine\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(AdminAuth.NEEDS_TOKEN, Json.MAPPER.readTree(r.body()).get("error").asText());
        }
        assertTrue(server.refusals().unauthorized() >= 7);
    }

    @Test
    void aWrongTokenIs401AndTheRightOne200(@TempDir Path dir) throws Exception {
        start(dir, true);
        assertEquals(401, call("GET", "/v1/members", "Bearer " + TOKEN + "x").statusCode());
        assertEquals(401, call("GET", "/v1/members", "Bearer " + TOKEN.substring(1)).statusCode());
        assertEquals(401, call("GET", "/v1/members", "Basic " + TOKEN).statusCode());
        HttpResponse<String> ok = call("GET", "/v1/members", "Bearer " + TOKEN);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("v1/members", Json.MAPPER.readTree(ok.body()).get("path").asText());
        HttpResponse<String> post = call("POST", "/v1/event/deploy", "bearer " + TOKEN);
        assertEquals(200, post.statusCode(), "the scheme is case-insensitive: " + post.body());
        assertEquals(1, Json.MAPPER.readTree(post.body()).get("bytes").asInt());
    }

    @Test
    void theHealthProbesStayOpenAndMetricsAsConfigured(@TempDir Path dir) throws Exception {
        start(dir, true);
        assertEquals(200, call("GET", "/health/live", null).statusCode());
        assertEquals(200, call("GET", "/health/ready", null).statusCode());
        assertEquals(200, call("GET", "/metrics", null).statusCode());
        assertEquals(401, call("POST", "/health/live", null).statusCode(), "only reading is open");
        stop();
        start(dir, false);
        assertEquals(200, call("GET", "/health/live", null).statusCode());
        assertEquals(401, call("GET", "/metrics", null).statusCode());
        assertEquals(200, call("GET", "/metrics", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void theDashboardSignsInWithAFormThatSetsAStrictHttpOnlyCookie(@TempDir Path dir) throws Exception {
        start(dir, true);
        HttpResponse<String> page = call("GET", "/ui/", null);
        assertEquals(303, page.statusCode());
        assertEquals("/ui/login", page.headers().firstValue("Location").orElse(""));
        HttpResponse<String> form = call("GET", "/ui/login", null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("name=\"token\""), form.body());

        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());

        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, signedIn.statusCode());
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/events"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, events.statusCode(), "the cookie passes as the token does");
    }

    @Test
    void aMalformedCookieIs401AndHoldsNoRequestSlot(@TempDir Path dir) throws Exception {
        start(dir, true);
        // More requests than may be in flight at once: a slot a refused request kept would show.
        for (int i = 0; i < AdminServer.IN_FLIGHT_MAX + 16; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/status"))
                    .header("Cookie", AdminAuth.COOKIE + "=%").timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), r.body());
        }
        assertEquals(200, call("GET", "/health/live", null).statusCode());
    }

    @Test
    void aKeyThatIsNotUtf8Is400NamingIt(@TempDir Path dir) throws Exception {
        start(dir, true);
        HttpResponse<String> r = call("GET", "/kv/ab%FFcd", "Bearer " + TOKEN);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = Json.MAPPER.readTree(r.body());
        assertEquals("the path segment 'ab%FFcd' is not valid UTF-8", error.get("error").asText());
        assertEquals(400, call("GET", "/kv/%C3%28", "Bearer " + TOKEN).statusCode(), "an invalid two-byte sequence");
        assertEquals(400, call("GET", "/kv/%ED%A0%80", "Bearer " + TOKEN).statusCode(), "a lone surrogate");
        assertEquals("caf\u00e9/x+y", PathSegments.segment("caf%C3%A9%2Fx+y"));
        assertThrows(IllegalArgumentException.class, () -> PathSegments.segment("a%2"));
    }

    @Test
    void theTokenFileIsCheckedBeforeUse(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminToken.read(empty, "the admin token file"))
                .getMessage().endsWith("is empty; it should hold one token"));
        Path shortOne = Files.writeString(dir.resolve("short"), "tooshort\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminToken.read(shortOne, "the admin token file"))
                .getMessage().contains("holds 8 characters; a token needs at least 16"));
        Path open = tokenFile(dir, TOKEN);
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> AdminToken.read(open, "the admin token file"))
                    .getMessage().endsWith("can be read by any user; `chmod 600 " + open + "`"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
            assertTrue(AdminToken.read(open, "the admin token file").matches(TOKEN), "its group only: a warning");
        } catch (UnsupportedOperationException notPosix) {
            // no permissions to check
        }
        AdminToken token = AdminToken.read(tokenFile(dir, "  " + TOKEN + "  "), "the admin token file");
        assertTrue(token.matches(TOKEN), "trimmed");
        assertFalse(token.matches(null));
        assertFalse(token.matches(""));
    }

    @Test
    void anOpenServerAsksForNothing() throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), echo());
        base = "http://127.0.0.1:" + server.address().getPort();
        assertEquals(200, call("GET", "/v1/members", null).statusCode());
        assertEquals(404, call("GET", "/ui/login", null).statusCode(), "no token, no login form");
    }

    /** A raw request, for what the JDK's client will not send. */
    static String statusLine(String host, int port, String request) throws Exception {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void aPathWithRawNonUtf8BytesIs400() throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), echo());
        assertEquals("HTTP/1.1 400 Bad Request", statusLine("127.0.0.1", server.address().getPort(),
                "GET /kv/%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        // Unescaped bytes: UTF-8 ones are the key they spell, others a 400 like their escapes.
        assertEquals("HTTP/1.1 400 Bad Request", statusLine("127.0.0.1", server.address().getPort(),
                "GET /kv/\u00fe\u00ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assertEquals("caf\u00e9", PathSegments.segment(new String("caf\u00e9".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1)));
    }
}
