package dev.grapevine.core.swim;

import java.util.HashSet;
import java.util.Set;

/**
 * One member under suspicion, and when it may be declared dead: the earlier of two deadlines.
 * <ul>
 *   <li><b>Lifeguard's timeout</b> (Dadgar et al. 2018, §IV-B): it starts at {@code max} and falls
 *       towards {@code min} as independent accusers confirm it,
 *       {@code timeout(c) = max(min, max − (max − min) · log(c + 1) / log(k + 1))} for c of k expected
 *       confirmations. A lone accuser (perhaps the slow one) must wait long; several agree quickly.</li>
 *   <li><b>A quorum of accusers</b>, after a refutation window: once {@code quorum} distinct members
 *       (the first accuser among them) each failed to reach the suspect with a probe of their own,
 *       the suspect is dead as soon as it has had {@code refutationWindowMillis} to refute. Several
 *       independent observers agreeing is strong evidence, as in Rapid (Suresh et al., USENIX ATC
 *       2018), where one prober's failed probe is weak evidence that memberlist must wait out. A
 *       quorum of 0 turns this off.</li>
 * </ul>
 * A refutation ends the suspicion whichever deadline is nearer: it carries a higher incarnation, and
 * the suspicion applies only to the epoch and incarnation it was raised against.
 */
public final class Suspicion {
    private final long epoch;
    private final long incarnation;
    private final String firstAccuser;
    private final long startMillis;
    private final long minMillis;
    private final long maxMillis;
    private final int expectedConfirmations;
    private final int quorum;
    private final long refutationWindowMillis;
    /** Every distinct accuser, the first included, up to what either deadline can use. */
    private final Set<String> accusers = new HashSet<>();

    /** A suspicion decided by Lifeguard's timeout alone. */
    public Suspicion(long epoch, long incarnation, String firstAccuser, long startMillis, long minMillis,
                     long maxMillis, int expectedConfirmations) {
        this(epoch, incarnation, firstAccuser, startMillis, minMillis, maxMillis, expectedConfirmations, 0, 0);
    }

    /**
     * @param quorum                 distinct accusers that declare the death before the timeout; 0 for none
     * @param refutationWindowMillis how long after {@code startMillis} a quorum must wait for a refutation
     */
    public Suspicion(long epoch, long incarnation, String firstAccuser, long startMillis, long minMillis,
                     long maxMillis, int expectedConfirmations, int quorum, long refutationWindowMillis) {
        if (quorum < 0 || quorum == 1 || refutationWindowMillis < 0) {
            throw new IllegalArgumentException("a quorum is 0 (none) or at least 2 accusers, and the window >= 0, but got "
                    + quorum + " and " + refutationWindowMillis + " ms");
        }
        this.epoch = epoch;
        this.incarnation = incarnation;
        this.firstAccuser = firstAccuser;
        this.startMillis = startMillis;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.expectedConfirmations = expectedConfirmations;
        this.quorum = quorum;
        this.refutationWindowMillis = refutationWindowMillis;
        accusers.add(firstAccuser);
    }

    /**
     * memberlist's choice of k: {@code suspicionMult − 2} confirmations, none in clusters too small to
     * produce them (there, the timeout is {@code min} at once).
     */
    public static int expectedConfirmations(int suspicionMult, int liveMembers) {
        int k = suspicionMult - 2;
        return liveMembers - 2 < k ? 0 : Math.max(0, k);
    }

    /**
     * The quorum a suspicion in a view of {@code liveMembers} (the suspect included) uses: none when
     * fewer members than {@code quorum} besides the suspect could accuse it, or with no corroborators
     * to check it; Lifeguard's timeout then decides alone.
     */
    public static int quorumFor(int quorum, int corroborators, int liveMembers) {
        return corroborators > 0 && liveMembers - 1 >= quorum ? quorum : 0;
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

    /** Counts {@code accuser} if it is new and still useful; returns true when it was counted (the deadline may move). */
    public boolean confirm(String accuser) {
        if (accusers.size() >= Math.max(quorum, expectedConfirmations + 1) || accusers.contains(accuser)) {
            return false;
        }
        return accusers.add(accuser);
    }

    public long deadlineMillis() {
        long lifeguard = startMillis + timeoutMillis(minMillis, maxMillis, expectedConfirmations,
                Math.min(confirmations(), expectedConfirmations));
        return quorumMet() ? Math.min(lifeguard, startMillis + refutationWindowMillis) : lifeguard;
    }

    /** Whether enough distinct accusers agree for the quorum deadline to apply. */
    public boolean quorumMet() {
        return quorum > 0 && accusers.size() >= quorum;
    }

    public boolean isAbout(long epoch, long incarnation) {
        return this.epoch == epoch && this.incarnation == incarnation;
    }

    /** Accusers besides the first. */
    public int confirmations() {
        return accusers.size() - 1;
    }

    public String firstAccuser() {
        return firstAccuser;
    }
}
