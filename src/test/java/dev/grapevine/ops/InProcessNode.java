package dev.grapevine.ops;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.kv.KvService;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A node with the key-value store and its admin API, in this JVM, on 127.0.0.1 and free ports. */
final class InProcessNode implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final ActorSystem<Void> system;
    final Grapevine grapevine;
    final KvService kv;
    final String base;

    InProcessNode(String name, Path dataDir, List<String> seeds) throws Exception {
        String seedList = seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
        system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = ERROR\n"
                                + "grapevine { profile = local, node.name = " + name + ", seeds = " + seedList
                                + ", node.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\" }\n"
                                + "grapevine.kv.write-quorum = 1\ngrapevine.kv.read-quorum = 1\n"
                                + "grapevine.recovery.replication-factor = 1\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        grapevine = Grapevine.get(system);
        kv = KvService.start(system);
        AdminServer server = new AdminHttp(system, grapevine, Map.of("name", name), kv)
                .bind(new InetSocketAddress("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Exposition scrape() throws Exception {
        HttpResponse<String> r = get(MetricsHttp.PATH);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return Exposition.parse(r.body());
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
