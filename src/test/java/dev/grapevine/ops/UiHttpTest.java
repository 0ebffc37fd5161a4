package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's routes over HTTP on one node: its files, their headers, and the event stream's framing. */
class UiHttpTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newHttpClient();
    private static ActorSystem<Void> system;
    private static String base;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\n"
                                + "grapevine { profile = local, node.name = a, node.data-dir = \""
                                + dir.toString().replace("\\", "/") + "\" }\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        AdminServer server = new AdminHttp(system, Grapevine.get(system), Map.of("node", "a"), null)
                .bind(new InetSocketAddress("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("(none)");
    }

    @Test
    void thePageAndItsFilesComeWithTheirTypesCachingAndASecurityPolicy() throws Exception {
        HttpResponse<String> page = call("GET", "/ui");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertEquals("no-cache", header(page, "Cache-Control"), "a new version of the node shows at once");
        assertTrue(header(page, "Content-Security-Policy").startsWith("default-src 'self'"), header(page, "Content-Security-Policy"));
        assertEquals("nosniff", header(page, "X-Content-Type-Options"));
        assertEquals(page.body(), call("GET", "/ui/").body(), "with or without the trailing slash");

        for (String[] file : new String[][] {{"js", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"}}) {
            Matcher named = Pattern.compile("/ui/dashboard\\." + file[0] + "\\?v=([0-9a-f]{12})").matcher(page.body());
            assertTrue(named.find(), "the page names its " + file[0] + " by a hash of its content: " + page.body());
            HttpResponse<String> asset = call("GET", named.group());
            assertEquals(200, asset.statusCode());
            assertEquals(file[1], header(asset, "Content-Type"));
            assertEquals("public, max-age=86400", header(asset, "Cache-Control"));
        }
    }

    @Test
    void headAnswersTheHeadersAndTheLengthWithoutABody() throws Exception {
        HttpResponse<String> head = call("HEAD", "/ui");
        assertEquals(200, head.statusCode());
        assertEquals("text/html; charset=utf-8", header(head, "Content-Type"));
        assertEquals(String.valueOf(call("GET", "/ui").body().getBytes(StandardCharsets.UTF_8).length),
                header(head, "Content-Length"));
        assertEquals("", head.body());
    }

    @Test
    void anUnknownFileIs404AndAWriteIs405() throws Exception {
        HttpResponse<String> missing = call("GET", "/ui/nothing.js");
        assertEquals(404, missing.statusCode());
        assertTrue(Json.MAPPER.readTree(missing.body()).get("error").asText().contains("/ui/nothing.js"), missing.body());
        assertEquals(404, call("GET", "/ui/dashboard.js/x").statusCode());
        HttpResponse<String> post = call("POST", "/ui");
        assertEquals(405, post.statusCode());
        assertTrue(post.body().contains("use GET"), post.body());
        assertEquals(405, call("POST", "/ui/events").statusCode());
    }

    @Test
    void theFilesRunNoInlineScriptAndNeverParseDataAsMarkup() throws Exception {
        String html = call("GET", "/ui").body();
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no inline script: " + html);
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no inline handler");
        assertFalse(Pattern.compile("https?://").matcher(html).find(), "nothing from another origin");
        Matcher js = Pattern.compile("/ui/dashboard\\.js\\?v=[0-9a-f]+").matcher(html);
        assertTrue(js.find());
        String script = call("GET", js.group()).body();
        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
            assertFalse(script.contains(sink), "the script uses " + sink);
        }
    }

    @Test
    void theEventStreamIsServerSentEventsThatOpenWithTheView() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                assertEquals(200, r.statusCode());
                assertEquals("text/event-stream; charset=utf-8", header(r, "Content-Type"));
                assertEquals("no-store", header(r, "Cache-Control"));
                assertEquals("retry: " + MonitorFormat.RECONNECT_MILLIS, lines.readLine());
                assertEquals(": connected", lines.readLine());
                assertEquals("", lines.readLine());
                String data = lines.readLine();
                assertTrue(data.startsWith("data: {"), data);
                JsonNode event = Json.MAPPER.readTree(data.substring("data: ".length()));
                assertEquals("member", event.get("type").asText());
                assertEquals("a", event.get("member").get("name").asText());
                assertTrue(event.get("at_ms").asLong() > 0, data);
                assertEquals("", lines.readLine(), "an event ends with an empty line");
            }
        });
    }

    @Test
    void theLatestEventsAreKeptByTheNodeForAPageOpenedLater() throws Exception {
        Grapevine.get(system).sendUserEvent("deploy", "v7".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        org.awaitility.Awaitility.await().atMost(DEADLINE).untilAsserted(() -> {
            HttpResponse<String> r = call("GET", "/ui/recent");
            assertEquals(200, r.statusCode());
            assertEquals("application/json", header(r, "Content-Type").split(";")[0]);
            JsonNode events = Json.MAPPER.readTree(r.body()).get("events");
            // The view when the admin API started comes first: this node itself.
            assertEquals("member", events.get(0).get("type").asText(), r.body());
            assertEquals("a", events.get(0).get("member").get("name").asText(), r.body());
            JsonNode last = events.get(events.size() - 1);
            assertEquals("user", last.get("type").asText(), r.body());
            assertEquals("deploy", last.get("name").asText());
            assertEquals("v7", last.get("payload").asText());
            assertEquals("a", last.get("origin").asText());
            assertTrue(last.get("at_ms").asLong() >= events.get(0).get("at_ms").asLong(), r.body());
        });
        assertEquals(405, call("POST", "/ui/recent").statusCode());
    }

    @Test
    void aHeartbeatIsACommentForTheBrowserAndALineForTheCli() {
        assertEquals(": keep-alive\n\n", MonitorFormat.SERVER_SENT_EVENTS.heartbeat());
        assertEquals(ClientCommands.HEARTBEAT + "\n", MonitorFormat.JSON_LINES.heartbeat());
        assertEquals("data: {\"type\":\"dropped\"}\n\n", MonitorFormat.SERVER_SENT_EVENTS.frame("{\"type\":\"dropped\"}"));
    }
}
