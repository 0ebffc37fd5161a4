package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin APIs of Grapevine and the Pekko bench node, as the harness uses them. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private Http() {}

    /** The JSON body of a 2xx answer, or null when the node does not answer (not up yet, paused, gone). */
    static JsonNode getOrNull(String hostPort, String path) {
        try {
            HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(uri(hostPort, path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() / 100 == 2 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void post(String hostPort, String path, String body) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri(hostPort, path)).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new BenchFailure("POST " + path + " on " + hostPort + ": HTTP " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            throw new BenchFailure("POST " + path + " on " + hostPort + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** A streaming body (no timeout: it lasts until closed), or null when the node does not answer. */
    static InputStream stream(String hostPort, String path) {
        try {
            HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(uri(hostPort, path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() / 100 == 2) return r.body();
            r.body().close();
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static URI uri(String hostPort, String path) {
        return URI.create("http://" + hostPort + path);
    }
}
