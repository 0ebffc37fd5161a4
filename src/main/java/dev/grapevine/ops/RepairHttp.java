package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/recovery/repair}: starts a round of anti-entropy now ({@link Grapevine#repairNow}).
 * <pre>
 *   200 {"repair":"started","domain","partitions_owned"}
 *   200 {"repair":"nothing","reason"}     this node runs no recoverable domain: it owns nothing to repair
 * </pre>
 * As {@code nodetool repair} on a node with no keyspace to repair, nothing to do is not a failure.
 */
final class RepairHttp {
    private RepairHttp() {
    }

    static CompletionStage<HttpReply> repair(Grapevine grapevine) {
        return grapevine.recoveryStatus().thenApply(status -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (status.domain() == null) {
                body.put("repair", "nothing");
                body.put("reason", "this node runs no recoverable domain, so it owns no partition to repair");
                return HttpReply.ok(body);
            }
            grapevine.repairNow();
            body.put("repair", "started");
            body.put("domain", status.domain());
            body.put("partitions_owned", status.local().get("partitions_owned"));
            return HttpReply.ok(body);
        });
    }
}
