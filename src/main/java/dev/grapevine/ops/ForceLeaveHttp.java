package dev.grapevine.ops;

import dev.grapevine.api.ForceLeaveResult;
import dev.grapevine.api.Grapevine;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/force-leave/{name}}: removes a dead or suspect member (Serf's force-leave), see
 * {@link Grapevine#forceLeave}. The name is one percent-encoded path segment.
 * <pre>
 *   200 {"name","status":"left","reason"}   removed now, or it had left already
 *   404 {"name","error"}                    no member of that name is known to this node
 *   409 {"name","error"}                    it is alive, or it is this node: the request conflicts with its state
 *   400 {"error"}                           no name, or a malformed one
 * </pre>
 */
final class ForceLeaveHttp {
    /** The same bound a member's name has everywhere else. */
    static final int NAME_BYTES_MAX = dev.grapevine.core.member.Member.NAME_BYTES_MAX;

    private final Grapevine grapevine;

    ForceLeaveHttp(Grapevine grapevine) {
        this.grapevine = grapevine;
    }

    /** The answer to a call under {@code /v1/force-leave}, or null if the path is not one. */
    CompletionStage<HttpReply> route(HttpCall call) {
        List<String> path = call.segments();
        if (path.size() < 2 || !path.get(0).equals("v1") || !path.get(1).equals("force-leave")) {
            return null;
        }
        return AdminHttp.only(call, "POST", () -> {
            String bad = path.size() == 3 ? checkName(path.get(2))
                    : "expected one member name: POST /v1/force-leave/{name}";
            return bad != null ? AdminHttp.done(HttpReply.error(400, bad))
                    : grapevine.forceLeave(path.get(2)).thenApply(ForceLeaveHttp::reply);
        });
    }

    /** Why {@code name} cannot be a member's name, or null if it can. */
    static String checkName(String name) {
        if (name.isBlank()) {
            return "the member name is empty; expected the name `grapevine members` lists";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_BYTES_MAX) {
            return "the member name takes " + bytes + " bytes; the limit is " + NAME_BYTES_MAX;
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "the member name holds a control character; expected the name `grapevine members` lists";
        }
        return null;
    }

    private static HttpReply reply(ForceLeaveResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", r.name());
        if (r.accepted()) {
            body.put("status", "left");
            body.put("reason", r.reason());
            return HttpReply.ok(body);
        }
        body.put("error", r.reason());
        return new HttpReply(r.outcome() == ForceLeaveResult.Outcome.UNKNOWN ? 404 : 409, body);
    }
}
