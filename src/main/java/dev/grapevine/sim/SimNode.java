package dev.grapevine.sim;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.node.SwimNode;

/** One simulated process slot: its current protocol instance (null while down) and its lifecycle. */
final class SimNode {
    final int index;
    final String name;
    Address address;
    SwimNode core;
    /** Bumped on every crash or restart; timers and messages of an older life are discarded. */
    int life;
    long epoch;
    long pausedUntilMillis;
    boolean everCrashed;
    boolean everPaused;
    /** Set by a scenario that made this node misbehave otherwise (say, lose what it receives). */
    boolean everFaulty;

    SimNode(int index, String name, Address address) {
        this.index = index;
        this.name = name;
        this.address = address;
    }

    boolean isUp() {
        return core != null;
    }

    boolean isHealthy() {
        return !everCrashed && !everPaused && !everFaulty;
    }
}
