package dev.grapevine.ops;

import dev.grapevine.api.JoinResult;
import dev.grapevine.core.member.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The addresses of a {@code POST /v1/join} whose host name does not resolve on the agent. They are
 * reported as such at once, as {@code consul join} reports "no such host", rather than waited for
 * and then described as silent; the others are asked as usual.
 */
final class JoinTargets {
    private JoinTargets() {
    }

    /**
     * Lookups of one request take at most this long together: a resolver that does not answer would
     * otherwise hold an admin thread for the operating system's timeout once per host. The hosts left
     * unchecked are asked by the join as usual, and fail as silent if they do not resolve.
     */
    static final long LOOKUPS_BUDGET_NANOS = 5_000_000_000L;

    /** {@link #unresolved(List, Predicate, LongSupplier)} on this machine's resolver and clock. */
    static List<String> unresolved(List<String> addresses) {
        return unresolved(addresses, JoinTargets::resolves, System::nanoTime);
    }

    /**
     * The addresses ({@code [SYSTEM@]HOST:PORT}) whose host {@code resolves} refuses; malformed ones are
     * left to the join. Each host is looked up once, within {@link #LOOKUPS_BUDGET_NANOS} in all.
     */
    static List<String> unresolved(List<String> addresses, Predicate<String> resolves, LongSupplier nanoClock) {
        List<String> unresolved = new ArrayList<>();
        Map<String, Boolean> known = new HashMap<>();
        long deadline = nanoClock.getAsLong() + LOOKUPS_BUDGET_NANOS;
        for (String a : addresses) {
            String host;
            try {
                host = Address.parse(a.substring(a.indexOf('@') + 1)).host();
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            Boolean resolved = known.get(host);
            if (resolved == null) {
                if (nanoClock.getAsLong() - deadline >= 0) {
                    continue; // out of time: the join asks it
                }
                resolved = resolves.test(host);
                known.put(host, resolved);
            }
            if (!resolved) {
                unresolved.add(a);
            }
        }
        return unresolved;
    }

    /** Whether the operating system's resolver knows {@code host} (an IP literal always resolves, without a lookup). */
    static boolean resolves(String host) {
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** "the host name of nosuch.invalid:7946 does not resolve on this node". */
    static String reason(List<String> unresolved) {
        return "the host name of " + String.join(", ", unresolved) + (unresolved.size() == 1 ? " does" : " do")
                + " not resolve on this node";
    }

    /** The answer when no address resolves: nothing was asked. */
    static HttpReply noneResolves(List<String> unresolved) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason(unresolved));
        body.put("joined", List.of());
        body.put("failed", unresolved);
        return new HttpReply(400, body);
    }

    /** {@code r}, with the unresolved addresses among those that failed. */
    static JoinResult including(JoinResult r, List<String> unresolved) {
        List<String> failed = new ArrayList<>(r.failed());
        failed.addAll(unresolved);
        return new JoinResult(r.joined(), failed, r.refused());
    }
}
