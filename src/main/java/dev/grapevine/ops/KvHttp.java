package dev.grapevine.ops;

import dev.grapevine.kv.KvActor;
import dev.grapevine.kv.KvRecord;
import dev.grapevine.kv.KvService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The key-value store's HTTP API, on the agent's admin port. Keys are one percent-encoded path
 * segment ({@code %2F} for a slash); values are the request body, returned as UTF-8 text.
 * <pre>
 *   PUT    /kv/{key}            {"key","acks"}; 503 {"key","acks","error"} short of write-quorum, or on
 *                                the minority side of a partition (kv.partition-mode = majority);
 *                                507 {"key","acks","error"} while this node's disk refuses commits
 *   GET    /kv/{key}            {"key","value","version"}; 404 if absent or deleted; 503 short of read-quorum
 *   DELETE /kv/{key}            {"key","acks"} (a tombstone, replicated like a write)
 *   GET    /kv/{key}/replicas   {"key","partition","replicas":[{"node","status","version","value"}, ...]}
 * </pre>
 */
final class KvHttp {
    private final KvService kv;

    KvHttp(KvService kv) {
        this.kv = kv;
    }

    /** The answer to a call under {@code /kv}, or null if its path is none of the above. */
    CompletionStage<HttpReply> route(HttpCall call) {
        List<String> path = call.segments();
        if (path.size() == 3 && path.get(2).equals("replicas")) {
            return AdminHttp.only(call, "GET", () -> kv.replicas(path.get(1)).thenApply(KvHttp::replicas));
        }
        if (path.size() != 2 || path.get(1).isEmpty()) {
            return null;
        }
        String key = path.get(1);
        switch (call.method()) {
            case "PUT": {
                byte[] body = AdminHttp.body(call);
                long size = body == null ? call.tooLargeSize(AdminServer.BODY_BYTES_MAX) : body.length;
                String bad = KvService.check(key, size);
                return bad != null ? AdminHttp.done(HttpReply.error(400, key, bad)) : kv.put(key, body).thenApply(KvHttp::written);
            }
            case "DELETE": {
                String bad = KvService.check(key, 0);
                return bad != null ? AdminHttp.done(HttpReply.error(400, key, bad)) : kv.delete(key).thenApply(KvHttp::written);
            }
            case "GET": {
                String bad = KvService.check(key, 0);
                return bad != null ? AdminHttp.done(HttpReply.error(400, key, bad)) : kv.get(key).thenApply(KvHttp::read);
            }
            default:
                return AdminHttp.done(HttpReply.error(405, call.method() + " is not allowed here; use PUT, GET or DELETE"));
        }
    }

    private static HttpReply written(KvActor.WriteResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("acks", r.acks());
        if (r.error() != null) {
            body.put("error", r.error());
            // 507 Insufficient Storage: this node cannot make the write durable; another node may.
            return new HttpReply(r.error().startsWith(dev.grapevine.kv.KvActor.DISK_REFUSAL) ? 507 : 503, body);
        }
        return HttpReply.ok(body);
    }

    private static HttpReply read(KvActor.ReadResult r) {
        if (r.error() != null) {
            return HttpReply.error(503, r.key(), r.error());
        }
        if (r.record() == null || r.record().tombstone()) {
            return HttpReply.error(404, r.key(), "not found");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("value", new String(r.record().value(), StandardCharsets.UTF_8));
        body.put("version", version(r.record()));
        return HttpReply.ok(body);
    }

    private static HttpReply replicas(KvActor.ReplicasResult r) {
        if (r.partition() < 0) {
            return HttpReply.error(503, r.key(), r.error());
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
        return HttpReply.ok(body);
    }

    /** A version names its write: the hybrid logical time and the node that coordinated it. */
    static String version(KvRecord r) {
        return r.hlc() + "@" + r.writer();
    }
}
