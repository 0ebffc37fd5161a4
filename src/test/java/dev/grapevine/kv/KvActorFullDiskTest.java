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

    private void startActor() {
        store = KvStore.open(dir.resolve("kv.mv.db"), 1_000, FullDiskFiles.prefix());
        kv = BehaviorTestKit.create(KvActor.create(SELF, store, SETTINGS, metrics, r -> ownership = r, r -> members = r));
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
            if (e instanceof Effect.TimerScheduled<?> t && !(t.key() instanceof Long)) {
                kv.run((KvActor.Command) t.msg()); // the group commit
            }
        }
        if (!client.hasMessages()) {
            for (Effect e : effects) {
                if (e instanceof Effect.TimerScheduled<?> t && t.key() instanceof Long) {
                    kv.run((KvActor.Command) t.msg()); // the request's timeout
                }
            }
        }
        return client.receiveMessage();
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

        kv.run(replayTick);
        assertEquals(1L, metrics.snapshot(store).get("kv_disk_unwritable"), "still full");

        FullDiskFiles.FULL.set(false);
        kv.run(replayTick); // the periodic check finds space
        assertEquals(0L, metrics.snapshot(store).get("kv_disk_unwritable"));
        assertEquals(1, put("after").acks());
        assertEquals("v", new String(read("after").value(), StandardCharsets.UTF_8));
    }
}
