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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node, sole owner of every key, whose disk fills up: the write whose commit the disk refused is
 * not acknowledged, later writes are refused at once naming the disk, reads go on, and once space is
 * freed the node takes writes again by itself. Driven message by message (no clock, no threads).
 */
class KvActorFullDiskTest {
    private static final String SELF = "n1";
    private static final KvSettings SETTINGS = new KvSettings(true, 1, 1, Duration.ofSeconds(2), 1_000,
            Duration.ofSeconds(1), 256, Duration.ofHours(3), Duration.ofSeconds(60));

    @TempDir
    Path dir;
    private KvStore store;
    private final KvMetrics metrics = new KvMetrics();
    private ActorRef<OwnershipChanged> ownership;
    private ActorRef<MembershipEvent> members;
    private BehaviorTestKit<KvActor.Command> kv;
    private KvActor.Command replayTick;

    @AfterEach
    void close() {
        FullDiskFiles.FULL.set(false);
        store.close();
    }

    /** What the actor told recovery, in order: "unavailable: <reason>" or "available". */
    private final List<String> told = new java.util.ArrayList<>();
    /** The last disk retry the actor scheduled, with its delay; null once taken. */
    private Effect.TimerScheduled<?> retry;

    private void startActor() {
        store = KvStore.open(dir.resolve("kv.mv.db"), 1_000, FullDiskFiles.prefix());
        StoreHealth health = new StoreHealth() {
            @Override
            public void unavailable(String reason) {
                told.add("unavailable: " + reason);
            }

            @Override
            public void available() {
                told.add("available");
            }
        };
        kv = BehaviorTestKit.create(KvActor.create(SELF, store, SETTINGS, metrics, r -> ownership = r, r -> members = r,
                null, health, null));
        replayTick = kv.getAllEffects().stream().filter(e -> e instanceof Effect.TimerScheduled<?>)
                .map(e -> (KvActor.Command) ((Effect.TimerScheduled<?>) e).msg()).findFirst().orElseThrow();
        members.tell(new MembershipEvent(MembershipEvent.Kind.JOINED,
                new Member(SELF, "127.0.0.1:2552", MemberStatus.ALIVE, 1, 0, Map.of()), null, SELF));
        PartitionMap map = PartitionMaps.of(List.of(SELF), 4, 1, Map.of(SELF, "127.0.0.1:2552"));
        ownership.tell(new OwnershipChanged("e1", map, Set.of(0, 1, 2, 3), Map.of(), List.of()));
        kv.runOne();
        kv.runOne();
        kv.clearLog();
    }

    /** Puts {@code key} and delivers its commit timer, then its request timer if the commit did not answer. */
    private KvActor.WriteResult put(String key) {
        TestInbox<KvActor.WriteResult> client = TestInbox.create();
        kv.run(new KvActor.Put(key, "v".getBytes(StandardCharsets.UTF_8), client.getRef()));
        List<Effect> effects = kv.getAllEffects();
        for (Effect e : effects) {
            if (e instanceof Effect.TimerScheduled<?> t && !(t.key() instanceof Long) && !isRetry(t)) {
                kv.run((KvActor.Command) t.msg()); // the group commit
            }
        }
        collectRetry(effects);
        if (!client.hasMessages()) {
            for (Effect e : effects) {
                if (e instanceof Effect.TimerScheduled<?> t && t.key() instanceof Long) {
                    kv.run((KvActor.Command) t.msg()); // the request's timeout
                }
            }
        }
        return client.receiveMessage();
    }

    private static boolean isRetry(Effect.TimerScheduled<?> t) {
        return t.msg().toString().equals("INSTANCE") && t.msg().getClass().getSimpleName().equals("RetryDisk");
    }

    private void collectRetry(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.TimerScheduled<?> t && isRetry(t)) {
                retry = t;
            }
        }
    }

    /** Fires the scheduled disk retry, as its timer would; returns the delay it had been scheduled with. */
    private Duration fireRetry() {
        assertTrue(retry != null, "a disk retry is scheduled");
        Effect.TimerScheduled<?> t = retry;
        retry = null;
        kv.run((KvActor.Command) t.msg());
        collectRetry(kv.getAllEffects());
        return Duration.ofNanos(t.delay().toNanos());
    }

    private KvRecord read(String key) {
        TestInbox<KvActor.ReadResult> client = TestInbox.create();
        kv.run(new KvActor.Get(key, client.getRef()));
        KvActor.ReadResult r = client.receiveMessage();
        assertNull(r.error(), r.toString());
        return r.record();
    }

    @Test
    void aWriteTheDiskRefusedIsNotAcknowledgedAndWritesResumeOnceSpaceIsFreed() {
        startActor();
        assertEquals(1, put("before").acks());

        FullDiskFiles.FULL.set(true);
        KvActor.WriteResult unstored = put("during");
        assertEquals(0, unstored.acks(), "its commit failed: " + unstored);
        assertFalse(unstored.error() == null, unstored.toString());
        assertEquals(1L, metrics.snapshot(store).get("kv_writes_unstored"));
        assertEquals(1L, metrics.snapshot(store).get("kv_disk_unwritable"));

        KvActor.WriteResult refused = put("refused");
        assertTrue(refused.error().startsWith(KvActor.DISK_REFUSAL + "No space left on device)"), refused.toString());
        assertEquals("v", new String(read("before").value(), StandardCharsets.UTF_8), "reads go on");

        fireRetry();
        assertEquals(1L, metrics.snapshot(store).get("kv_disk_unwritable"), "still full");

        FullDiskFiles.FULL.set(false);
        fireRetry(); // the retry timer finds space
        assertEquals(0L, metrics.snapshot(store).get("kv_disk_unwritable"));
        assertEquals(1, put("after").acks());
        assertEquals("v", new String(read("after").value(), StandardCharsets.UTF_8));
    }

    /**
     * The store says once that it cannot hold its data, retries its disk on a doubling timer that no
     * request drives, up to its bound, and says once that it can again when space is freed.
     */
    @Test
    void aFailedStoreRetriesItsDiskOnABoundedBackoffAndTellsRecoveryBothWays() {
        startActor();
        FullDiskFiles.FULL.set(true);
        assertEquals(0, put("during").acks());
        assertEquals(List.of("unavailable: the key-value store cannot write to its disk: No space left on device"), told);
        assertTrue(put("refused").error().startsWith(KvActor.DISK_REFUSAL), "refused at once, not waiting for a retry");
        assertEquals(1, told.size(), "said once");

        Duration previous = Duration.ZERO;
        for (int i = 0; i < 10; i++) { // no request in between: the timer alone tries the disk
            Duration delay = fireRetry();
            assertTrue(delay.compareTo(previous) >= 0 && delay.compareTo(DiskRetry.MAX) <= 0, "delay " + delay);
            previous = delay;
        }
        assertEquals(DiskRetry.MAX, previous, "the backoff reaches its bound and stays there");
        assertEquals(1L, metrics.snapshot(store).get("kv_disk_unwritable"));

        FullDiskFiles.FULL.set(false);
        fireRetry();
        assertEquals(0L, metrics.snapshot(store).get("kv_disk_unwritable"), "reopened without a request");
        assertEquals("available", told.get(told.size() - 1));
        assertEquals(2, told.size());
        assertEquals(null, retry, "no more retries once the disk takes writes");
        assertEquals(1, put("after").acks());
    }
}
