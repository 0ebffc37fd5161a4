package dev.grapevine.sim;

import java.util.function.Consumer;

/**
 * One exchange that makes two simulated replicas of a partition agree, in both directions, over the
 * simulated network: what a recovery {@code StartSync} or a hand-off runs. Behind an interface so the
 * way it is carried out can change without the scenario noticing.
 */
interface ReplicaExchange {

    /**
     * Runs the exchange of {@code partition} started by node {@code initiator} with node {@code peer};
     * {@code done} runs on the initiator with whether it completed (not at all if the initiator crashed).
     */
    void run(int initiator, int peer, int partition, Consumer<Boolean> done);

    /** Entries sent in either direction, their bytes, and the bytes of those that changed the receiver. */
    long entriesSent();

    long bytesSent();

    long bytesThatChanged();
}
