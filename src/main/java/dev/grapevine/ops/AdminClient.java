package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** The CLI's side of the admin API: one request, or one stream of lines, with clear errors. */
final class AdminClient {
    private final URI base;
    private final String scheme;
    /** {@code Bearer TOKEN}, or null: the agent needs none. */
    private final String authorization;
    private final HttpClient http;

    AdminClient(String hostPort) {
        this(hostPort, null, null);
    }

    /**
     * @param where HOST:PORT, or http:// or https:// then HOST:PORT
     * @param token the agent's admin token, or null
     * @param tls the context an https agent is checked with, or null for the JVM's default trust
     */
    AdminClient(String where, String token, javax.net.ssl.SSLContext tls) {
        String hostPort = where;
        String scheme = "http";
        for (String s : new String[] {"http", "https"}) {
            if (where.regionMatches(true, 0, s + "://", 0, s.length() + 3)) {
                scheme = s;
                hostPort = where.substring(s.length() + 3).replaceAll("/+$", "");
            }
        }
        Address a = Address.parse(hostPort);
        this.scheme = scheme;
        this.base = URI.create(scheme + "://" + a + "/v1/");
        this.authorization = token == null ? null : "Bearer " + token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    String get(String path) {
        return send(authorized(HttpRequest.newBuilder(base.resolve(path))).timeout(Duration.ofSeconds(15)).GET().build());
    }

    String post(String path, byte[] body) {
        return post(path, body, Duration.ofSeconds(15));
    }

    /** A POST whose answer may take longer than most: a leave first hands the node's data off. */
    String post(String path, byte[] body, Duration timeout) {
        return send(authorized(HttpRequest.newBuilder(base.resolve(path))).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * How long {@code grapevine leave} waits for the agent's answer: the longest decommission-timeout
     * (1 h) and the leave's own few seconds; the agent answers as soon as it has left, usually in seconds.
     */
    static final Duration LEAVE_ANSWER_MAX = Duration.ofMinutes(61);

    /**
     * An answer whose status the caller interprets: for the kv API a 404 or a 503 is an answer (not
     * found, too few replicas), not a failure of the client.
     */
    record Reply(int status, String body) {
    }

    /**
     * One request to {@code path} (absolute, e.g. {@code /kv/k}; already percent-encoded), any status
     * returned as a {@link Reply}; only an unreachable agent is an error.
     */
    Reply request(String method, String path, byte[] body) {
        try {
            HttpResponse<String> r = http.send(build(method, path, body), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /**
     * As {@link #request}, without blocking; an unreachable agent completes it exceptionally (see
     * {@link #describe}). The caller bounds how many are in flight: the client itself queues without limit.
     */
    CompletableFuture<Reply> requestAsync(String method, String path, byte[] body) {
        return http.sendAsync(build(method, path, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    private HttpRequest build(String method, String path, byte[] body) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("expected an absolute path, but got '" + path + "'");
        }
        // Built as text, not with URI.resolve, so that an encoded key is never normalized ("%2E%2E" stays a key).
        // HTTP/1.1: plain http would otherwise try an h2c upgrade on every new connection.
        return authorized(HttpRequest.newBuilder(URI.create(scheme + "://" + base.getRawAuthority() + path)))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** A path segment with everything but ALPHA, DIGIT, '-', '_' and '~' percent-encoded as UTF-8 (so '/', '.', ' ', '+' too). */
    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** One line saying why an asynchronous request failed. */
    String describe(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof IOException io ? unreachable(io).getMessage() : String.valueOf(e);
    }

    /** Streams the lines of {@code path} to {@code line} until the agent closes it or the CLI is interrupted. */
    void stream(String path, Consumer<String> line) {
        try {
            HttpResponse<InputStream> r = http.send(authorized(HttpRequest.newBuilder(base.resolve(path))).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 401) {
                throw new IllegalArgumentException("the agent refused: " + AdminAuth.NEEDS_TOKEN);
            }
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
                JsonNode answer = KvCommands.parse(r.body());
                throw new IllegalArgumentException(answer != null && answer.hasNonNull("error")
                        ? "the agent refused: " + answer.get("error").asText()
                        : KvBulkCommands.why(new Reply(r.statusCode(), r.body()))); // not an agent's answer
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
        if (e instanceof javax.net.ssl.SSLException) {
            String why = String.valueOf(e.getMessage()).contains("PKIX") ? "its certificate is signed by no CA this CLI trusts"
                    : String.valueOf(e.getMessage());
            return new IllegalArgumentException("cannot reach the agent at " + base.getAuthority() + " over TLS ("
                    + why + "); with --http https://..., pass --ca FILE with the CA that signed its certificate");
        }
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new IllegalArgumentException("cannot reach the agent at " + base.getAuthority() + " (" + why
                + "); is `grapevine agent` running with --http " + base.getAuthority() + "?");
    }
}
