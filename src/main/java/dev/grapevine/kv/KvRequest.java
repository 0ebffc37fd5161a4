package dev.grapevine.kv;

import org.apache.pekko.actor.typed.ActorRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A request this node coordinates, from the first message to the owners until it needs nothing more. */
abstract sealed class KvRequest {
    /** Keys travel in URLs and messages; a bound keeps both small. */
    static final int KEY_BYTES_MAX = 1024;

    final KvActor actor;
    final long id;
    final String key;
    final int partition;
    final List<String> owners;

    KvRequest(KvActor actor, long id, String key, int partition, List<String> owners) {
        this.actor = actor;
        this.id = id;
        this.key = key;
        this.partition = partition;
        this.owners = List.copyOf(owners);
    }

    long id() {
        return id;
    }

    List<String> owners() {
        return owners;
    }

    abstract void onTimeout();

    /**
     * The coordinating actor is restarting after a failure, and forgets this request: a client not yet
     * answered gets {@code why} as its error, and a write's owners that did not acknowledge get a hint,
     * as at a timeout.
     */
    abstract void onAbandon(String why);

    void onAck(String node) {
    }

    void onReply(String node, KvRecord record) {
    }

    /** Null if {@code key} is acceptable, else why not. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            return "the key is empty";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "the key is not valid Unicode (a lone surrogate at index " + i + ")";
            }
        }
        int bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return bytes > KEY_BYTES_MAX ? "the key takes " + bytes + " bytes; the limit is " + KEY_BYTES_MAX : null;
    }

    /** A client's write (answered at {@code required} acks), or the replay of one hint ({@code hint} set). */
    static final class Write extends KvRequest {
        private final KvRecord record;
        private final int required;
        private final ActorRef<KvActor.WriteResult> replyTo;
        private final KvStore.Hint hint;
        private final Set<String> acked = new LinkedHashSet<>();
        private boolean answered;

        Write(KvActor actor, long id, String key, int partition, KvRecord record, List<String> owners, int required,
              ActorRef<KvActor.WriteResult> replyTo, KvStore.Hint hint) {
            super(actor, id, key, partition, owners);
            this.record = record;
            this.required = required;
            this.replyTo = replyTo;
            this.hint = hint;
        }

        @Override
        void onAck(String node) {
            if (!owners.contains(node) || !acked.add(node)) {
                return;
            }
            if (!answered && acked.size() >= required) {
                answered = true;
                if (replyTo != null) {
                    replyTo.tell(new KvActor.WriteResult(key, acked.size(), null));
                }
            }
            if (acked.size() == owners.size()) {
                done(true);
            }
        }

        @Override
        void onTimeout() {
            if (!answered && replyTo != null) {
                actor.metrics().writesFailed.increment();
                replyTo.tell(new KvActor.WriteResult(key, acked.size(), "only " + acked.size() + " of " + required
                        + " required replicas acknowledged within the request timeout (owners " + owners + ")"));
            }
            if (hint == null) {
                for (String owner : owners) {
                    if (!acked.contains(owner)) {
                        actor.hint(owner, partition, key, record);
                    }
                }
            }
            done(false);
        }

        @Override
        void onAbandon(String why) {
            if (!answered && replyTo != null) {
                actor.metrics().writesFailed.increment();
                replyTo.tell(new KvActor.WriteResult(key, acked.size(), why + " before " + required
                        + " replicas acknowledged the write (" + acked.size() + " did); it may have been applied"));
            }
            answered = true;
            if (hint == null) {
                for (String owner : owners) {
                    if (!acked.contains(owner)) {
                        actor.hint(owner, partition, key, record);
                    }
                }
            }
            done(false);
        }

        private void done(boolean allAcked) {
            actor.finished(this);
            if (hint != null) {
                actor.hintReplayed(hint, allAcked);
            }
        }
    }

    /** A client's read (answered at {@code required} replies with the newest version), or a replicas listing. */
    static final class Read extends KvRequest {
        private final int required;
        private final ActorRef<KvActor.ReadResult> replyTo;
        private final ActorRef<KvActor.ReplicasResult> replicasTo;
        private final Map<String, KvRecord> replies = new LinkedHashMap<>();
        private boolean answered;

        Read(KvActor actor, long id, String key, int partition, List<String> owners, int required,
             ActorRef<KvActor.ReadResult> replyTo, ActorRef<KvActor.ReplicasResult> replicasTo) {
            super(actor, id, key, partition, owners);
            this.required = required;
            this.replyTo = replyTo;
            this.replicasTo = replicasTo;
        }

        @Override
        void onReply(String node, KvRecord record) {
            if (!owners.contains(node) || replies.containsKey(node)) {
                return;
            }
            replies.put(node, record);
            if (!answered && replies.size() >= required) {
                answer(null);
            }
            if (replies.size() == owners.size()) {
                repairAndFinish();
            }
        }

        @Override
        void onTimeout() {
            if (!answered) {
                actor.metrics().readsFailed.increment();
                answer("only " + replies.size() + " of " + required + " required replicas answered within the request timeout"
                        + " (owners " + owners + ")");
            }
            repairAndFinish();
        }

        @Override
        void onAbandon(String why) {
            if (!answered) {
                actor.metrics().readsFailed.increment();
                answer(why + " before " + required + " replicas answered (" + replies.size() + " did)");
            }
            actor.finished(this);
        }

        private KvRecord newest() {
            KvRecord best = null;
            for (KvRecord r : replies.values()) {
                if (r != null && (best == null || r.supersedes(best))) {
                    best = r;
                }
            }
            return best;
        }

        private void answer(String error) {
            answered = true;
            if (replyTo != null) {
                replyTo.tell(new KvActor.ReadResult(key, newest(), replies.size(), error));
            } else {
                List<KvActor.ReplicaState> states = new ArrayList<>();
                for (String owner : owners) {
                    states.add(new KvActor.ReplicaState(owner, replies.containsKey(owner) ? actor.statusOf(owner) : "no answer",
                            replies.get(owner)));
                }
                replicasTo.tell(new KvActor.ReplicasResult(key, partition, states, error));
            }
        }

        /** Read repair: owners that answered with an older version (or none) get the newest. */
        private void repairAndFinish() {
            actor.finished(this);
            KvRecord best = newest();
            if (best == null) {
                return;
            }
            replies.forEach((node, record) -> {
                if (record == null || best.supersedes(record)) {
                    actor.metrics().readRepairs.increment();
                    actor.sendWrite(-1, node, partition, key, best); // acks of id -1 match no request
                }
            });
        }
    }
}
