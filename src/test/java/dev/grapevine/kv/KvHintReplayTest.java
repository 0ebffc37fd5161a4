package dev.grapevine.kv;

import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.OwnershipChanged;
import dev.grapevine.api.PartitionMap;
import dev.grapevine.api.PartitionMaps;
import org.apache.pekko.actor.testkit.typed.Effect;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hinted handoff on one coordinator, driven message by message (no clock, no threads): timers fire
 * only when the test delivers their messages, in the order a stalled JVM's mailbox would hold them.
 */
class KvHintReplayTest {
    private static final String SELF = "n1";
    private static final KvSettings SETTINGS = new KvSettings(true, 1, 1, Duration.ofSeconds(2), 1_000,
            Duration.ofSeconds(1), 256, Duration.ofHours(3), Duration.ofSeconds(60));

    private KvStore store;
    private final KvMetrics metrics = new KvMetrics();
    private ActorRef<OwnershipChanged> ownership;
    private ActorRef<MembershipEvent> members;
    private BehaviorTestKit<KvActor.Command> kv;
    private Effect.TimerScheduled<?> replayTimer;

    @BeforeEach
    void start() {
        store = KvStore.open(null, 1_000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The actor on {@value #SELF}, the sole owner of every partition, alive in its own view. */
    private void startActor() {
        kv = BehaviorTestKit.create(KvActor.create(SELF, store, SETTINGS, metrics, r -> ownership = r, r -> members = r));
        replayTimer = kv.getAllEffects().stream().filter(e -> e instanceof Effect.TimerScheduled<?>)
                .map(e -> (Effect.TimerScheduled<?>) e).findFirst().orElseThrow();
        members.tell(new MembershipEvent(MembershipEvent.Kind.JOINED,
                new Member(SELF, "127.0.0.1:2552", MemberStatus.ALIVE, 1, 0, Map.of()), null, SELF));
        PartitionMap map = PartitionMaps.of(List.of(SELF), 4, 1, Map.of(SELF, "127.0.0.1:2552"));
        ownership.tell(new OwnershipChanged("e1", map, Set.of(0, 1, 2, 3), Map.of(), List.of()));
        kv.runOne();
        kv.runOne();
        kv.clearLog();
    }

    private void replayHints(int ticks) {
        for (int i = 0; i < ticks; i++) {
            kv.run((KvActor.Command) replayTimer.msg());
            while (kv.hasEffects() || kv.selfInbox().hasMessages()) {
                kv.getAllEffects();
                if (kv.selfInbox().hasMessages()) {
                    kv.runOne();
                }
            }
        }
    }

    private long pending() {
        return metrics.snapshot(store).get("kv_hints_pending");
    }

    /** A put's commit timer and request timer, as the put scheduled them. */
    private record Timers(KvActor.Command flush, KvActor.Command timeout) {
    }

    private Timers put(String key, TestInbox<KvActor.WriteResult> client) {
        kv.run(new KvActor.Put(key, "v".getBytes(StandardCharsets.UTF_8), client.getRef()));
        List<Effect> effects = kv.getAllEffects();
        KvActor.Command flush = null;
        KvActor.Command timeout = null;
        for (Effect e : effects) {
            if (e instanceof Effect.TimerScheduled<?> t) {
                if (t.key() instanceof Long) {
                    timeout = (KvActor.Command) t.msg();
                } else {
                    flush = (KvActor.Command) t.msg();
                }
            }
        }
        assertNotNull(flush, "a commit timer: " + effects);
        assertNotNull(timeout, "a request timer: " + effects);
        return new Timers(flush, timeout);
    }

    private void assertStoredHere(String key) {
        int partition = PartitionMaps.of(List.of(SELF), 4, 1, Map.of()).partitionOf(key);
        assertNotNull(store.get(partition, key), key + " is in this node's store");
    }

    /**
     * A write's own replica acknowledges at its group commit (a timer). After a stall longer than the
     * request timeout (a GC or SIGSTOP pause, an overloaded machine) the commit and the timeout are
     * due together and may be handled in either order. Timeout first: the write counts as missed by
     * this node, although it is in this node's store already. No hint may be kept for the node
     * itself: it would never be replayed, and would stay pending until the hint window.
     */
    @Test
    void aWriteWhoseOwnCommitComesAfterItsTimeoutLeavesNoHintForItself() {
        startActor();
        TestInbox<KvActor.WriteResult> client = TestInbox.create();
        Timers due = put("k", client);

        kv.run(due.timeout());
        kv.run(due.flush());

        KvActor.WriteResult result = client.receiveMessage();
        assertNotNull(result.error(), "no owner acknowledged in time: " + result);
        assertStoredHere("k");
        replayHints(5);
        assertEquals(0, pending(), "hints pending after five replay ticks, every member alive: " + store.hintsFor(SELF, 10));
        assertEquals(0, metrics.snapshot(store).get("kv_hints_stored"));
    }

    /**
     * Commit first: the write is acknowledged there and then, not by a message to itself that would
     * queue behind the timeout (which failed the write and left a hint for the node itself).
     */
    @Test
    void aCommitDueTogetherWithTheTimeoutAcknowledgesTheWrite() {
        startActor();
        TestInbox<KvActor.WriteResult> client = TestInbox.create();
        Timers due = put("k", client);

        kv.run(due.flush());
        kv.run(due.timeout());
        while (kv.selfInbox().hasMessages()) {
            kv.runOne();
        }

        KvActor.WriteResult result = client.receiveMessage();
        assertNull(result.error(), "acknowledged at the commit: " + result);
        assertEquals(1, result.acks());
        assertFalse(client.hasMessages(), "one answer");
        assertStoredHere("k");
        replayHints(5);
        assertEquals(0, pending(), "hints pending: " + store.hintsFor(SELF, 10));
    }

    /**
     * Hints kept for this node itself (as earlier versions did, after applying the write here) are
     * dropped as handed off, not kept until the hint window.
     */
    @Test
    void hintsKeptForThisNodeItselfAreDroppedAsHandedOff() {
        KvRecord record = KvRecord.put(new Hlc(0).now(System.currentTimeMillis()), SELF, "v".getBytes(StandardCharsets.UTF_8));
        store.apply(2, "k", record);
        assertTrue(store.addHint(SELF, 2, "k", record));
        startActor();

        replayHints(1);

        assertEquals(0, pending());
        assertEquals(record, store.get(2, "k"));
        assertEquals(1, metrics.snapshot(store).get("kv_hints_replayed"));
    }
}
