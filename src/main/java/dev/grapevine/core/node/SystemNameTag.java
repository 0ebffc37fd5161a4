package dev.grapevine.core.node;

import java.util.Map;

/**
 * The name of the actor system a member runs in, gossiped as the reserved tag {@value #KEY}. Artery
 * addresses an actor as {@code pekko://<system>@host:port/...} and drops a handshake addressed to a
 * system name that is not the receiver's, so a peer must be reached under its own system's name,
 * which the member's {@code host:port} does not say. Nodes of one cluster may run systems of any
 * name: joining depends on the cluster name only.
 *
 * <p>Why a tag: tags travel with every member record, in rumors and in every push-pull, so a node
 * learns the system name of a member it hears of from a third node at once, and the member record's
 * precedence (only the member itself raises its incarnation) decides which name holds; no wire format
 * change. The node sets it at start, from its own system; users cannot set reserved tags.
 */
public final class SystemNameTag {
    /** The reserved tag: the member's actor system name. */
    public static final String KEY = Membership.RESERVED_TAG_PREFIX + "system";
    /** Longest system name accepted on the wire, in bytes (ASCII: one byte per character). */
    public static final int BYTES_MAX = 64;
    /**
     * The name a node assumes for an endpoint nothing names (a seed given as {@code host:port}, an
     * address from DNS), and the agent's own system's name. One name for every cluster, not one per
     * cluster name: a node pointed at a seed of another cluster must reach it, or that node cannot
     * refuse it by name (see {@code ClusterGuard}), and Artery would only log, on the seed, that it
     * dropped handshakes addressed to another system, for as long as the node retries.
     */
    public static final String DEFAULT = "grapevine";

    private SystemNameTag() {
    }

    /**
     * Why {@code name} is not a name Pekko accepts for an actor system (or is longer than
     * {@link #BYTES_MAX}), or null if it is one: {@code [A-Za-z0-9][A-Za-z0-9_-]*}.
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > BYTES_MAX) {
            return "takes " + name.length() + " characters; the limit is " + BYTES_MAX;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (i > 0 && (c == '_' || c == '-'));
            if (!ok) {
                return "may hold only letters A-Z a-z, digits, '_' and '-', and must start with a letter or digit";
            }
        }
        return null;
    }

    /** Whether {@code name} is a valid system name. */
    public static boolean valid(String name) {
        return problem(name) == null;
    }

    /** The valid system name {@code tags} carry, or null if they carry none (or garbage). */
    public static String of(Map<String, String> tags) {
        String name = tags.get(KEY);
        return name != null && valid(name) ? name : null;
    }
}
