package dev.grapevine.core.node;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The recoverable domains a node runs, gossiped as the reserved tag {@value #KEY}: the names, sorted,
 * joined by commas. Recovery computes the owners of a domain's partitions from the live members
 * that carry the domain here, so a node that runs no store (a reporter, a gateway) owns none of them.
 *
 * <p>Why a tag: it travels with the member record in every rumor and push-pull, so a node that
 * joins learns at once who runs what, and a change (a domain registered late, a restart without it)
 * reaches everyone as one member update, with no change to the wire. It changes only when the set
 * of domains does, so it costs nothing in steady state.
 */
public final class DomainsTag {
    public static final String KEY = Membership.RESERVED_TAG_PREFIX + "domains";
    /**
     * Bytes of the tag's value: with its key, 73 of the 208 bytes kept for the node's own tags (see
     * {@code Grapevine.USER_TAGS_BYTES_MAX}), beside the load tag ({@link LoadTag}, 55) and the system name (80).
     */
    public static final int VALUE_BYTES_MAX = 56;

    private DomainsTag() {
    }

    /** The tag's value for {@code domains}: sorted, comma-joined; empty for none. */
    public static String format(Collection<String> domains) {
        return String.join(",", new TreeSet<>(domains));
    }

    /** The domains a member's tags say it runs; empty if it names none (or the tag is absent). */
    public static SortedSet<String> parse(Map<String, String> tags) {
        String value = tags.get(KEY);
        if (value == null || value.isEmpty()) {
            return Collections.emptySortedSet();
        }
        SortedSet<String> out = new TreeSet<>();
        for (String name : value.split(",")) {
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return Collections.unmodifiableSortedSet(out);
    }

    /**
     * Why {@code domains} cannot be advertised, as one line, or null if they can: a name holds no
     * comma, and the names together fit {@link #VALUE_BYTES_MAX}.
     */
    public static String problem(Collection<String> domains) {
        for (String d : domains) {
            if (d.indexOf(',') >= 0) {
                return "a domain name cannot hold a comma, but was '" + d + "'";
            }
        }
        int bytes = dev.grapevine.core.member.Utf8.length(format(domains));
        if (bytes > VALUE_BYTES_MAX) {
            return "the domain names of one node take at most " + VALUE_BYTES_MAX
                    + " bytes joined by commas, but " + new TreeSet<>(domains) + " take " + bytes;
        }
        return null;
    }
}
