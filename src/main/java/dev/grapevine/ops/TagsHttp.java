package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/tags} with {@code {"set":{"k":"v",...},"delete":["k",...]}} (either may be left out):
 * changes this node's tags at run time, recorded in its data dir so they survive restarts (see
 * {@link Grapevine#updateTags}). Answers {@code {"tags":{...},"persisted":true|false}}; 400 with the
 * reason for a bad key, a reserved one or tags over the limit.
 */
final class TagsHttp {
    private TagsHttp() {
    }

    static CompletionStage<HttpReply> update(Grapevine grapevine, HttpCall call) {
        byte[] body = AdminHttp.body(call);
        if (body == null) {
            return AdminHttp.done(AdminHttp.tooLarge(call));
        }
        JsonBodies.TagsChange request;
        try {
            request = JsonBodies.tags(body);
        } catch (JsonBodies.BadBody e) {
            return AdminHttp.done(HttpReply.error(400, e.getMessage()));
        }
        Map<String, String> set = request.set();
        List<String> delete = request.delete();
        if (set.isEmpty() && delete.isEmpty()) {
            return AdminHttp.done(HttpReply.error(400, "nothing to change: expected " + JsonBodies.TAGS_SHAPE));
        }
        for (String key : delete) {
            if (set.containsKey(key)) {
                return AdminHttp.done(HttpReply.error(400, "tag '" + key + "' is both set and deleted"));
            }
        }
        try {
            return grapevine.updateTags(set, delete).handle((change, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return cause instanceof IllegalArgumentException ? HttpReply.error(400, cause.getMessage())
                            : HttpReply.error(503, "the node did not answer (" + cause.getClass().getSimpleName() + ")");
                }
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("tags", new java.util.TreeMap<>(change.tags()));
                reply.put("persisted", change.persisted());
                return HttpReply.ok(reply);
            });
        } catch (IllegalArgumentException e) {
            return AdminHttp.done(HttpReply.error(400, e.getMessage()));
        }
    }
}
