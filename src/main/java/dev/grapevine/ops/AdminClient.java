package dev.grapevine.ops;

import dev.grapevine.core.member.Address;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/** The CLI's side of the admin API: one request, or one stream of lines, with clear errors. */
final class AdminClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    AdminClient(String hostPort) {
        Address a = Address.parse(hostPort);
        this.base = URI.create("http://" + a + "/v1/");
    }

    String get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15)).GET().build());
    }

    String post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Streams the lines of {@code path} to {@code line} until the agent closes it or the CLI is interrupted. */
    void stream(String path, Consumer<String> line) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                throw new IllegalArgumentException("the agent refused: HTTP " + r.statusCode());
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    line.accept(l);
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                String reason = r.body();
                try {
                    reason = String.valueOf(Json.MAPPER.readTree(r.body()).get("error").asText());
                } catch (Exception notJson) {
                    // keep the raw body
                }
                throw new IllegalArgumentException("the agent refused: " + reason);
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private IllegalArgumentException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new IllegalArgumentException("cannot reach the agent at " + base.getAuthority() + " (" + why
                + "); is `grapevine agent` running with --http " + base.getAuthority() + "?");
    }
}
