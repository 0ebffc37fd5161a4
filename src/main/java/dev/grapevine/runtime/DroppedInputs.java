package dev.grapevine.runtime;

import dev.grapevine.core.member.AppState;
import dev.grapevine.log.CountedWarnings;
import dev.grapevine.log.GrapevineLogs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WARN lines for what one node refused or dropped. The core is pure and cannot log; it counts
 * (core.node.Counters, the broadcast queue's drops). Each role actor publishes its figures every
 * second, and {@link #report} turns the growth of each counter below into one line per kind with a
 * count, rate-limited per kind ({@link CountedWarnings}). The runtime's own refusals (repair) are
 * counted straight into {@link #repair()}.
 */
final class DroppedInputs {
    /** One second's summary window per kind would still be a line a second under a flood. */
    static final long WINDOW_MILLIS = 60_000;

    /** A counter of refused or dropped input, the logger its line goes to, what it counts and why that matters. */
    record Kind(String counter, String logger, String what, String why) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("relays_refused", GrapevineLogs.PROBES,
                    "ping-req relays refused", "this node relays at most relays-max probes for others at once"),
            new Kind("stale_acks", GrapevineLogs.PROBES,
                    "acks arrived after their probe had ended", "the network or the peers are slower than probe-timeout"),
            new Kind("misdirected_pings", GrapevineLogs.PROBES,
                    "pings for another member's name ignored", "this address was another member's before"),
            new Kind("refutations", GrapevineLogs.MEMBERSHIP,
                    "suspicions of this node refuted", "peers find this node slow to answer"),
            new Kind("accusations_withheld", GrapevineLogs.PROBES,
                    "failed probes, checks and deaths not reported", "this node's local health is poor: it may be the one that cannot hear"),
            new Kind("rejoins_held", GrapevineLogs.MEMBERSHIP,
                    "verdicts of this node's death not refuted yet", "it heard no one for a while, and keeps out until it has heard the others for rejoin-after-deaf"),
            new Kind("checks_over_bound", GrapevineLogs.PROBES,
                    "checks of suspects not started", "16 were in flight; the probes in turn still reach them"),
            new Kind("identity_conflicts", GrapevineLogs.MEMBERSHIP,
                    "claims to this node's name refused", "another process uses this name, or an incarnation was forged"),
            new Kind("claims_refused", GrapevineLogs.MEMBERSHIP,
                    "implausible claims about members refused", "a far-future epoch, an incarnation jump, or a member moved within its life"),
            new Kind("rumors_from_strangers", GrapevineLogs.MEMBERSHIP,
                    "claims about live members from non-members dropped", "only live members may accuse one"),
            new Kind("dead_reaped_over_bound", GrapevineLogs.MEMBERSHIP,
                    "dead members forgotten early", "more dead members than the bound keeps"),
            new Kind("rumors_too_large", GrapevineLogs.GOSSIP,
                    "rumors dropped", "larger than a gossip message; push-pull still carries them"),
            new Kind("broadcasts_dropped", GrapevineLogs.GOSSIP,
                    "broadcasts dropped", "the broadcast queue was full; push-pull repairs what they told"),
            new Kind("progress_refused", GrapevineLogs.RECOVERY,
                    "recovery progress reports refused", "they conflict with the value held for their epoch"),
            new Kind("progress_too_large", GrapevineLogs.RECOVERY,
                    "recovery progress values left out of push-pull", "too large for one"),
            new Kind("app_state_refused", GrapevineLogs.MEMBERSHIP,
                    "application state values refused", "of an unknown member or an earlier life, or past " + AppState.KEYS_MAX + " keys"));

    private final Map<String, CountedWarnings> byLogger = new HashMap<>();
    private final Map<String, Map<String, Long>> lastBySource = new ConcurrentHashMap<>();

    DroppedInputs(String node, long originNanos) {
        this(node, () -> (System.nanoTime() - originNanos) / 1_000_000);
    }

    /** @param clockMillis a monotonic clock in milliseconds (tests move one by hand) */
    DroppedInputs(String node, java.util.function.LongSupplier clockMillis) {
        for (String logger : List.of(GrapevineLogs.PROBES, GrapevineLogs.MEMBERSHIP, GrapevineLogs.GOSSIP,
                GrapevineLogs.RECOVERY, GrapevineLogs.REPAIR, GrapevineLogs.NODE)) {
            byLogger.put(logger, new CountedWarnings(GrapevineLogs.logger(logger), node, WINDOW_MILLIS, clockMillis));
        }
        // A node that joined a moment ago hears gossip from members it has not heard of yet, and a
        // member that is leaving still sends its last repair requests: counted, but not WARN.
        byLogger.get(GrapevineLogs.MEMBERSHIP).routine("rumors_from_strangers");
        byLogger.get(GrapevineLogs.MEMBERSHIP).routine("app_state_refused"); // likewise: state can arrive before its member
        byLogger.get(GrapevineLogs.REPAIR).routine("repair_requests_from_strangers");
    }

    /**
     * Warns of the growth of each refusal counter in {@code figures} since {@code source} last
     * reported them. A counter below its last value was reset (its actor restarted): all of it is new.
     */
    void report(String source, Map<String, Long> figures) {
        Map<String, Long> last = lastBySource.computeIfAbsent(source, s -> new ConcurrentHashMap<>());
        for (Kind k : KINDS) {
            Long now = figures.get(k.counter());
            if (now == null) {
                continue;
            }
            long before = last.getOrDefault(k.counter(), 0L);
            long delta = now >= before ? now - before : now;
            last.put(k.counter(), now);
            byLogger.get(k.logger()).count(k.counter(), delta, k.what(), k.why(), null);
        }
        flush();
    }

    /** Peer messages that reached an actor of another role (a peer of another version, or forged). */
    CountedWarnings misrouted() {
        return byLogger.get(GrapevineLogs.NODE);
    }

    /** Messages from nodes of another cluster, dropped unread; each count names its last case. */
    CountedWarnings foreignCluster() {
        return byLogger.get(GrapevineLogs.MEMBERSHIP);
    }

    /** Refused repair requests and failed exchanges; each count names its last case. */
    CountedWarnings repair() {
        return byLogger.get(GrapevineLogs.REPAIR);
    }

    /** Writes the summary lines of windows that have ended. */
    void flush() {
        byLogger.values().forEach(CountedWarnings::flush);
    }
}
