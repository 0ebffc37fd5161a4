package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.PartitionMap;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.spi.StoreLoad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/status}, as {@code nodetool status}: every member with its status, address, share of
 * the partitions (from the ownership this node computed for the current recovery epoch), the keys and
 * bytes it holds, and its pending recovery:
 * <pre>
 *   {"node","epoch","partitions","replication_factor",
 *    "members":[{"name","address","status","partitions_owned","partitions_owned_pct",
 *                "keys","bytes","load_from","recovery_pending"}, ...]}
 * </pre>
 * A member's share counts the partitions it holds as primary or replica, so the shares add up to the
 * replication factor times 100 %. This node's load is its own domains' figure now; the others' is what
 * they last gossiped (their {@code grapevine.load} tag, updated at most every 30 s). Anything unknown is
 * null: no epoch yet, a member outside the epoch, a member that runs no domain reporting its load, the
 * load of a member that left.
 */
final class StatusHttp {
    private StatusHttp() {
    }

    static CompletionStage<HttpReply> status(Grapevine grapevine) {
        return grapevine.members().thenCombine(grapevine.recoveryStatus(),
                (members, recovery) -> HttpReply.ok(body(grapevine.name(), grapevine.localLoad(), members, recovery)));
    }

    static Map<String, Object> body(String self, Optional<StoreLoad> localLoad, List<Member> members, RecoveryStatus recovery) {
        PartitionMap map = recovery.map();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", self);
        body.put("epoch", recovery.epoch());
        body.put("partitions", map == null ? null : map.partitions());
        body.put("replication_factor", map == null ? null : map.replicationFactor());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Member m : members) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.name());
            row.put("address", m.address());
            row.put("status", m.status().name().toLowerCase());
            boolean inEpoch = map != null && map.members().contains(m.name());
            int owned = inEpoch ? map.partitionsOwnedBy(m.name()) : 0;
            row.put("partitions_owned", inEpoch ? owned : null);
            row.put("partitions_owned_pct", inEpoch ? Math.round(owned * 1000.0 / map.partitions()) / 10.0 : null);
            // A member that left holds nothing for the cluster any more (nodetool no longer lists one
            // removed), so its last gossiped load is not shown; a dead one's is, as nodetool shows a DN's.
            Optional<StoreLoad> load = m.name().equals(self) ? localLoad
                    : m.status() == dev.grapevine.api.MemberStatus.LEFT ? Optional.empty() : StoreLoad.ofTags(m.tags());
            row.put("keys", load.map(StoreLoad::keys).orElse(null));
            row.put("bytes", load.filter(l -> l.bytes() >= 0).map(StoreLoad::bytes).orElse(null));
            row.put("load_from", load.isEmpty() ? null : m.name().equals(self) ? "local" : "gossip");
            RecoveryStatus.NodeProgress progress = recovery.nodes().get(m.name());
            row.put("recovery_pending", progress == null ? null : progress.pending());
            rows.add(row);
        }
        body.put("members", rows);
        return body;
    }
}
