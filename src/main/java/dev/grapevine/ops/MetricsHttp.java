package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.kv.KvService;

import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics}: the node's metrics in Prometheus's text exposition format (version 0.0.4),
 * from a registry of this node's own ({@link NodeMeters}). Each scrape first reads the node's
 * current figures, so what it shows is at most about a second old.
 */
final class MetricsHttp implements AdminServer.Routes {
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final NodeMeters meters;

    /** @param kv the node's key-value store, or null if it runs none */
    MetricsHttp(Grapevine grapevine, KvService kv) {
        this.meters = new NodeMeters(grapevine, kv);
    }

    @Override
    public CompletionStage<HttpReply> route(HttpCall call) {
        if (!HealthHttp.at(call, PATH)) {
            return null;
        }
        return AdminHttp.only(call, "GET", () -> meters.refresh()
                .thenApply(done -> HttpReply.text(200, CONTENT_TYPE, meters.scrape())));
    }

    /** Stops the meters that listen to the JVM (garbage collections). */
    void close() {
        meters.close();
    }
}
