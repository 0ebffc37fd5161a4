package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.RecoveryStatus;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Health routes for orchestrators (Kubernetes probes, Docker's HEALTHCHECK):
 * <pre>
 *   GET /health/live    200 {"status":"live"} while the node's actor system runs
 *   GET /health/ready   200 {"status":"ready"} once the node has joined and recovered its partitions,
 *                       else 503 {"status":"not ready","reasons":[...]}
 * </pre>
 * Ready means: the node is alive in its own view (it has not left); it has joined, that is it was
 * started with nothing to join, or it has seen another member alive (once seen, it stays joined:
 * a survivor of its peers still serves); and the current recovery epoch has settled with none of this
 * node's partitions pending, here or at the peers that repair them ({@link RecoveryReadiness}); and,
 * if it runs the key-value store, its disk takes the store's commits (a full or read-only disk: the
 * node refuses the writes it would coordinate with 507, so a load balancer should send them elsewhere;
 * it stays live, a restart would not free the disk); and no domain said it cannot hold its data
 * ({@code Grapevine.reportUnavailable}, with its reason). A data dir that refuses the membership's own
 * files does not make it unready: membership runs from memory, a tag change is refused to its caller,
 * and the next start refuses with one line.
 */
final class HealthHttp implements AdminServer.Routes {
    /** Probes are written against these paths; keep them. */
    static final String LIVE_PATH = "/health/live";
    static final String READY_PATH = "/health/ready";

    private final ActorSystem<?> system;
    private final Grapevine grapevine;
    /** Set once this node has seen another member alive. */
    private volatile boolean joined;

    /** The node's key-value store, or null. */
    private final dev.grapevine.kv.KvService kv;

    HealthHttp(ActorSystem<?> system, Grapevine grapevine) {
        this(system, grapevine, null);
    }

    HealthHttp(ActorSystem<?> system, Grapevine grapevine, dev.grapevine.kv.KvService kv) {
        this.system = system;
        this.grapevine = grapevine;
        this.kv = kv;
    }

    /** True if the call's path is exactly {@code path} ({@code /a/b}). */
    static boolean at(HttpCall call, String path) {
        return call.is(path.substring(1).split("/", -1));
    }

    @Override
    public CompletionStage<HttpReply> route(HttpCall call) {
        if (at(call, LIVE_PATH)) {
            return AdminHttp.only(call, "GET", () -> AdminHttp.done(live()));
        }
        if (at(call, READY_PATH)) {
            return AdminHttp.only(call, "GET", this::ready);
        }
        return null;
    }

    private HttpReply live() {
        boolean stopping = system.getWhenTerminated().toCompletableFuture().isDone();
        return stopping ? new HttpReply(503, Map.of("status", "not live", "reasons", List.of("the node is stopping")))
                : HttpReply.ok(Map.of("status", "live"));
    }

    private CompletionStage<HttpReply> ready() {
        CompletableFuture<List<Member>> members = grapevine.members().toCompletableFuture();
        CompletableFuture<RecoveryStatus> recovery = grapevine.recoveryStatus().toCompletableFuture();
        return CompletableFuture.allOf(members, recovery).handle((done, error) -> {
            if (error != null) {
                return notReady(List.of("the node did not answer within " + Grapevine.ASK_TIMEOUT.toSeconds() + " s"));
            }
            List<String> reasons = reasons(members.join(), recovery.join());
            if (reasons.isEmpty()) {
                return HttpReply.ok(Map.of("status", "ready"));
            }
            return notReady(reasons);
        });
    }

    private List<String> reasons(List<Member> members, RecoveryStatus recovery) {
        List<String> reasons = new ArrayList<>();
        String self = grapevine.name();
        Member me = members.stream().filter(m -> m.name().equals(self)).findFirst().orElse(null);
        if (me == null || me.status() == MemberStatus.LEFT) {
            reasons.add("left the cluster");
            return reasons; // nothing else matters: it will not serve again in this life
        }
        if (me.status() != MemberStatus.ALIVE) {
            reasons.add("not alive in its own view: " + me.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (members.stream().anyMatch(m -> !m.name().equals(self) && m.status() == MemberStatus.ALIVE)) {
            joined = true;
        }
        List<String> targets = grapevine.joinTargets();
        boolean knowsOthers = members.size() > 1;
        if (!joined && (!targets.isEmpty() || knowsOthers)) {
            reasons.add("not joined: no other live member yet"
                    + (targets.isEmpty() ? "" : " (joining " + String.join(", ", targets.subList(0, Math.min(3, targets.size())))
                    + (targets.size() > 3 ? " and " + (targets.size() - 3) + " more" : "") + ")"));
        }
        reasons.addAll(RecoveryReadiness.reasons(recovery, self));
        Map<String, String> unavailable = grapevine.unavailableDomains();
        unavailable.forEach((domain, why) -> reasons.add("domain " + domain + " cannot hold its data here: " + why));
        String disk = kv == null ? null : kv.unwritable();
        if (disk != null && !unavailable.containsKey("kv")) { // the store says so above once its actor noticed
            reasons.add("the key-value store's disk does not take writes: " + disk);
        }
        return reasons;
    }

    private static HttpReply notReady(List<String> reasons) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "not ready");
        body.put("reasons", reasons);
        return new HttpReply(503, body);
    }
}
