package dev.grapevine.core.swim;

import java.util.HashSet;
import java.util.Set;

/**
 * One member under suspicion, with Lifeguard's dynamic timeout (Dadgar et al. 2018, §IV-B): it starts
 * at {@code max} and falls towards {@code min} as independent accusers confirm it,
 * {@code timeout(c) = max(min, max − (max − min) · log(c + 1) / log(k + 1))} for c of k expected
 * confirmations. A lone accuser (perhaps the slow one) must wait long; several agree quickly.
 *
 * <p>It holds the suspected member's epoch and incarnation: a suspicion only applies to the state it
 * was raised against.
 */
public final class Suspicion {
    private final long epoch;
    private final long incarnation;
    private final String firstAccuser;
    private final long startMillis;
    private final long minMillis;
    private final long maxMillis;
    private final int expectedConfirmations;
    private final Set<String> confirmers = new HashSet<>();

    public Suspicion(long epoch, long incarnation, String firstAccuser, long startMillis, long minMillis,
                     long maxMillis, int expectedConfirmations) {
        this.epoch = epoch;
        this.incarnation = incarnation;
        this.firstAccuser = firstAccuser;
        this.startMillis = startMillis;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.expectedConfirmations = expectedConfirmations;
    }

    /**
     * memberlist's choice of k: {@code suspicionMult − 2} confirmations, none in clusters too small to
     * produce them (there, the timeout is {@code min} at once).
     */
    public static int expectedConfirmations(int suspicionMult, int liveMembers) {
        int k = suspicionMult - 2;
        return liveMembers - 2 < k ? 0 : Math.max(0, k);
    }

    /** The timeout after {@code confirmations} of {@code k} expected, in ms. */
    public static long timeoutMillis(long minMillis, long maxMillis, int k, int confirmations) {
        if (k < 1) {
            return minMillis;
        }
        double fraction = Math.log(confirmations + 1.0) / Math.log(k + 1.0);
        long raw = (long) Math.floor(maxMillis - fraction * (maxMillis - minMillis));
        return Math.max(minMillis, raw);
    }

    /** Counts {@code accuser} if it is new; returns true when the deadline moved. */
    public boolean confirm(String accuser) {
        if (confirmers.size() >= expectedConfirmations || accuser.equals(firstAccuser)) {
            return false;
        }
        return confirmers.add(accuser);
    }

    public long deadlineMillis() {
        return startMillis + timeoutMillis(minMillis, maxMillis, expectedConfirmations, confirmers.size());
    }

    public boolean isAbout(long epoch, long incarnation) {
        return this.epoch == epoch && this.incarnation == incarnation;
    }

    public int confirmations() {
        return confirmers.size();
    }

    public String firstAccuser() {
        return firstAccuser;
    }
}
