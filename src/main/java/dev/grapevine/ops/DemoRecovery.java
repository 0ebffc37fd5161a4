package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.kv.KvActor;
import dev.grapevine.kv.KvService;
import org.apache.pekko.actor.typed.ActorSystem;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The demo's recovery steps: load keys, wait for recovery to be complete everywhere, check every key. */
final class DemoRecovery {
    /** Requests in flight while loading or checking: enough to keep the nodes busy, few enough to stay bounded. */
    private static final int IN_FLIGHT = 64;

    private final PrintWriter out;
    private final List<ActorSystem<Void>> systems;
    private final List<KvService> stores;
    private final Duration deadline;

    DemoRecovery(PrintWriter out, List<ActorSystem<Void>> systems, List<KvService> stores, Duration deadline) {
        this.out = out;
        this.systems = systems;
        this.stores = stores;
        this.deadline = deadline;
    }

    /** Waits until every running node reports {@code members} live members and recovery complete everywhere. */
    void awaitComplete(int members, String what) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        for (ActorSystem<Void> s : systems) {
            if (s.getWhenTerminated().toCompletableFuture().isDone()) {
                continue;
            }
            while (true) {
                RecoveryStatus r = Grapevine.get(s).recoveryStatus().toCompletableFuture().get(5, TimeUnit.SECONDS);
                if (r.complete() && r.members() == members) {
                    break;
                }
                if (System.nanoTime() > end) {
                    throw new DemoCommand.DemoFailed("the demo waited " + deadline.toSeconds() + " s for " + what + ": " + r);
                }
                TimeUnit.MILLISECONDS.sleep(50); // polling interval
            }
        }
    }

    void load(int keys) throws Exception {
        if (keys == 0) {
            return;
        }
        long t0 = System.nanoTime();
        Outcome failed = run(keys, -1, (kv, i) -> kv.put(key(i), value(i)).thenApply(KvActor.WriteResult::error));
        out.printf("%nWrote %d keys (replication factor 3, write quorum 2) in %d ms; %d failed.%n",
                keys, (System.nanoTime() - t0) / 1_000_000, failed.count());
        out.flush();
        if (failed.count() > 0) {
            throw new DemoCommand.DemoFailed(failed.count() + " writes were not acknowledged; the first: " + failed.first());
        }
    }

    /** Reads every key through the running nodes (skipping {@code skip}); fails the demo if one is wrong. */
    void verify(int keys, int skip) throws Exception {
        if (keys == 0) {
            return;
        }
        Outcome wrong = run(keys, skip, (kv, i) -> kv.get(key(i)).thenApply(r -> mismatch(r, i)));
        out.printf("Read all %d keys back: %d with the wrong value or none.%n", keys, wrong.count());
        out.flush();
        if (wrong.count() > 0) {
            throw new DemoCommand.DemoFailed(wrong.count() + " keys did not read back; the first: " + wrong.first());
        }
    }

    /** One request; its stage completes with null on success, else with why it failed. */
    private interface Request {
        java.util.concurrent.CompletionStage<String> send(KvService kv, int index);
    }

    /** How many requests failed, and why the first one did (null if none failed). */
    private record Outcome(int count, String first) {
    }

    /** Sends {@code keys} requests round-robin over the running nodes, {@value #IN_FLIGHT} at a time. */
    private Outcome run(int keys, int skip, Request request) throws Exception {
        List<KvService> up = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            if (i != skip && !systems.get(i).getWhenTerminated().toCompletableFuture().isDone()) {
                up.add(stores.get(i));
            }
        }
        int failed = 0;
        String first = null;
        for (int from = 0; from < keys; from += IN_FLIGHT) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(keys, from + IN_FLIGHT); i++) {
                int index = i;
                batch.add(request.send(up.get(i % up.size()), i).toCompletableFuture()
                        .thenApply(error -> error == null ? null : key(index) + ": " + error)
                        .exceptionally(e -> key(index) + ": " + e));
            }
            for (CompletableFuture<String> f : batch) {
                String error = f.get(30, TimeUnit.SECONDS);
                if (error != null) {
                    failed++;
                    first = first == null ? error : first;
                }
            }
        }
        return new Outcome(failed, first);
    }

    /** Null if the read returned value {@code i}, else what it returned instead. */
    private static String mismatch(KvActor.ReadResult r, int i) {
        if (r.error() != null) {
            return r.error();
        }
        if (r.record() == null || r.record().tombstone()) {
            return "no value";
        }
        String got = new String(r.record().value(), StandardCharsets.UTF_8);
        return got.equals(new String(value(i), StandardCharsets.UTF_8)) ? null : "read " + got;
    }

    private static String key(int i) {
        return "demo-" + i;
    }

    private static byte[] value(int i) {
        return ("value-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
