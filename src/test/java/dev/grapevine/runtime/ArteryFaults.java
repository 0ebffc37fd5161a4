package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RARP;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;

import java.util.concurrent.TimeUnit;

/**
 * Network faults between real actor systems in one JVM, with Artery's test mode (their config must
 * set {@link #TEST_MODE}): traffic between two systems blackholed in both directions, then let through.
 */
public final class ArteryFaults {
    public static final String TEST_MODE = "pekko.remote.artery.advanced.test-mode = on";

    private ArteryFaults() {
    }

    /** Cuts ({@code blackhole} true) or restores the traffic between {@code from} and the node at {@code to}. */
    public static void cut(ActorSystem<?> from, String systemName, Address to, boolean blackhole) {
        org.apache.pekko.actor.Address target = new org.apache.pekko.actor.Address("pekko", systemName, to.host(), to.port());
        ThrottlerTransportAdapter.ThrottleMode mode = blackhole
                ? ThrottlerTransportAdapter.blackholeThrottleMode() : ThrottlerTransportAdapter.unthrottledThrottleMode();
        try {
            scala.concurrent.Future<Object> done = ((RARP) RARP.get(Adapter.toClassic(from))).provider().transport()
                    .managementCommand(new ThrottlerTransportAdapter.SetThrottle(target, ThrottlerTransportAdapter.bothDirection(), mode));
            scala.concurrent.Await.result(done, scala.concurrent.duration.Duration.create(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("could not change the network between " + from.address() + " and " + to, e);
        }
    }
}
