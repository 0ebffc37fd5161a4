package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.log.GrapevineLogs;
import org.slf4j.Logger;

import java.util.List;

/**
 * Says so, under {@value GrapevineLogs#NODE}, while a node started with addresses to join has heard
 * from none of them: it keeps retrying them, silently otherwise, and a seed list with a typo or a host
 * name that the peer's Artery does not answer to would leave it alone with nothing in its log. A WARN
 * after {@link #FIRST_AFTER_MILLIS}, then at most one every {@link #EVERY_MILLIS}; an INFO when it
 * joins after all. Once joined it says nothing more: later failures of its peers are logged as such.
 */
final class AloneLog {
    static final long FIRST_AFTER_MILLIS = 10_000;
    static final long EVERY_MILLIS = 60_000;
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.NODE);

    private final String self;
    private final List<Address> targets;
    private final long startMillis;
    private boolean joined;
    private long nextWarnMillis;
    private boolean warned;

    AloneLog(String self, List<Address> targets, long startMillis) {
        this.self = self;
        this.targets = List.copyOf(targets);
        this.startMillis = startMillis;
        this.nextWarnMillis = startMillis + FIRST_AFTER_MILLIS;
        this.joined = targets.isEmpty(); // started alone on purpose: the first node of a cluster
    }

    /**
     * Checks, about once a second, whether the node is still alone.
     *
     * @param liveMembers members this node sees alive or suspect, itself included
     * @return the line logged, or null
     */
    String check(long nowMillis, long liveMembers, boolean leaving) {
        if (joined || leaving) {
            return null;
        }
        long aloneSeconds = (nowMillis - startMillis) / 1000;
        if (liveMembers > 1) {
            joined = true;
            if (!warned) {
                return null;
            }
            String line = "joined the cluster after " + aloneSeconds + " s alone";
            GrapevineLogs.asNode(self, () -> LOG.info(line));
            return line;
        }
        if (nowMillis < nextWarnMillis) {
            return null;
        }
        nextWarnMillis = nowMillis + EVERY_MILLIS;
        String line = (warned ? "still alone after " : "alone after ") + aloneSeconds + " s: none of " + targets
                + " answered; retrying. Each must be a running node's address exactly as it binds it (its Artery"
                + " drops a connection addressed to another name, localhost for 127.0.0.1 say), of the same cluster name"
                + " and, with TLS, the same CA";
        warned = true;
        GrapevineLogs.asNode(self, () -> LOG.warn(GrapevineLogs.UNTHROTTLED, line));
        return line;
    }
}
