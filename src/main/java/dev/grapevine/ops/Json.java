package dev.grapevine.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grapevine.api.Member;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.UserEvent;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the admin API and of the CLI's {@code --json} output, in one place. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** {@code {"members":[{"name","address","status","incarnation","epoch","tags"}, ...]}}, statuses in lower case. */
    static Map<String, Object> members(List<Member> members) {
        return Map.of("members", members.stream().map(Json::member).toList());
    }

    static Map<String, Object> member(Member m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("address", m.address());
        out.put("status", m.status().name().toLowerCase());
        out.put("incarnation", m.incarnation());
        out.put("epoch", m.epoch()); // which life of the name: a restart at the same address is a new one
        out.put("tags", m.tags());
        return out;
    }

    static Map<String, Object> event(MembershipEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "member");
        out.put("event", e.kind().name().toLowerCase());
        out.put("member", member(e.member()));
        out.put("source", e.source());
        return out;
    }

    static Map<String, Object> event(UserEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "user");
        out.put("name", e.name());
        out.put("payload", new String(e.payload(), StandardCharsets.UTF_8));
        out.put("origin", e.origin());
        out.put("lamport_time", e.lamportTime());
        return out;
    }

    /**
     * The recovery status as {@code GET /v1/recovery} serves it, with {@code "unavailable"}: the domains
     * that cannot hold their data on this node now, each with its reason (their partitions count as pending).
     */
    static Map<String, Object> recovery(dev.grapevine.api.RecoveryStatus s, Map<String, String> unavailable) {
        Map<String, Object> body = recovery(s);
        body.put("unavailable", unavailable);
        return body;
    }

    /** The recovery status as {@code GET /v1/recovery} serves it. */
    static Map<String, Object> recovery(dev.grapevine.api.RecoveryStatus s) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("domain", s.domain());
        body.put("epoch", s.epoch());
        body.put("members", s.members());
        body.put("complete", s.complete());
        body.put("partitions_pending", s.partitionsPending());
        List<Map<String, Object>> nodes = new java.util.ArrayList<>();
        s.nodes().forEach((name, p) -> {
            Map<String, Object> n = new java.util.LinkedHashMap<>();
            n.put("node", name);
            n.put("epoch", p == null ? null : p.epoch());
            n.put("pending", p == null ? null : p.pending());
            n.put("failed", p == null ? null : p.failed());
            nodes.add(n);
        });
        body.put("nodes", nodes);
        body.put("local", s.local());
        body.put("catching_up_from", new java.util.TreeMap<>(s.catchingUpFrom()));
        return body;
    }
}
