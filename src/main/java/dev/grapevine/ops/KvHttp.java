package dev.grapevine.ops;

import dev.grapevine.kv.KvActor;
import dev.grapevine.kv.KvRecord;
import dev.grapevine.kv.KvService;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value store's HTTP API, on the agent's admin port. Keys are one percent-encoded path
 * segment ({@code %2F} for a slash); values are the request body, returned as UTF-8 text.
 * <pre>
 *   PUT    /kv/{key}            {"key","acks"}; 503 {"key","acks","error"} short of write-quorum
 *   GET    /kv/{key}            {"key","value","version"}; 404 if absent or deleted; 503 short of read-quorum
 *   DELETE /kv/{key}            {"key","acks"} (a tombstone, replicated like a write)
 *   GET    /kv/{key}/replicas   {"key","partition","replicas":[{"node","status","version","value"}, ...]}
 * </pre>
 */
final class KvHttp extends AllDirectives {
    private final KvService kv;

    KvHttp(KvService kv) {
        this.kv = kv;
    }

    Route routes() {
        return pathPrefix("kv", () -> pathPrefix(PathMatchers.segment(), key -> concat(
                pathEnd(() -> concat(
                        put(() -> entity(Unmarshaller.entityToByteString(), body -> {
                            String bad = KvService.check(key, body.size());
                            return bad != null ? complete(error(StatusCodes.BAD_REQUEST, key, bad))
                                    : completeWithFuture(kv.put(key, body.toArray()).thenApply(this::written));
                        })),
                        delete(() -> {
                            String bad = KvService.check(key, 0);
                            return bad != null ? complete(error(StatusCodes.BAD_REQUEST, key, bad))
                                    : completeWithFuture(kv.delete(key).thenApply(this::written));
                        }),
                        get(() -> {
                            String bad = KvService.check(key, 0);
                            return bad != null ? complete(error(StatusCodes.BAD_REQUEST, key, bad))
                                    : completeWithFuture(kv.get(key).thenApply(this::read));
                        }))),
                path("replicas", () -> get(() -> completeWithFuture(kv.replicas(key).thenApply(this::replicas)))))));
    }

    private HttpResponse written(KvActor.WriteResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("acks", r.acks());
        if (r.error() != null) {
            body.put("error", r.error());
            return AdminHttp.json(body).withStatus(StatusCodes.SERVICE_UNAVAILABLE);
        }
        return AdminHttp.json(body);
    }

    private HttpResponse read(KvActor.ReadResult r) {
        if (r.error() != null) {
            return error(StatusCodes.SERVICE_UNAVAILABLE, r.key(), r.error());
        }
        if (r.record() == null || r.record().tombstone()) {
            return error(StatusCodes.NOT_FOUND, r.key(), "not found");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("value", new String(r.record().value(), StandardCharsets.UTF_8));
        body.put("version", version(r.record()));
        return AdminHttp.json(body);
    }

    private HttpResponse replicas(KvActor.ReplicasResult r) {
        if (r.partition() < 0) {
            return error(StatusCodes.SERVICE_UNAVAILABLE, r.key(), r.error());
        }
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (KvActor.ReplicaState s : r.replicas()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("node", s.node());
            one.put("status", s.status());
            KvRecord rec = s.record();
            one.put("version", rec == null ? null : version(rec));
            one.put("value", rec == null || rec.tombstone() ? null : new String(rec.value(), StandardCharsets.UTF_8));
            if (rec != null && rec.tombstone()) {
                one.put("deleted", true);
            }
            replicas.add(one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("partition", r.partition());
        body.put("replicas", replicas);
        return AdminHttp.json(body);
    }

    /** A version names its write: the hybrid logical time and the node that coordinated it. */
    static String version(KvRecord r) {
        return r.hlc() + "@" + r.writer();
    }

    private static HttpResponse error(StatusCode status, String key, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("error", message);
        return AdminHttp.json(body).withStatus(status);
    }
}
