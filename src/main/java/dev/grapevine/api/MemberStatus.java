package dev.grapevine.api;

/** A member's state as this node sees it. */
public enum MemberStatus {
    /** Answering probes. */
    ALIVE,
    /** Missed its probes; it may still refute. Keep sending it work only if you can retry. */
    SUSPECT,
    /** Declared failed: crashed, or cut off from this node for longer than the suspicion timeout. */
    DEAD,
    /** Left on purpose. */
    LEFT
}
