package dev.grapevine.core.member;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One node's view of the cluster: at most one {@link Member} per name, merged only by
 * {@link Precedence}. Single writer (the node that owns it); members are immutable, so a snapshot is a
 * copy of references.
 *
 * <p>Dead and left members stay as tombstones: they keep the order of old news (a late "alive" from
 * before a death must not resurrect the member) and they are who reconnect attempts go to, so a
 * partition heals however long it lasted.
 */
public final class MemberTable {
    private final NameIndex names;
    private Member[] byId = new Member[16];
    private int known;
    private int live;
    private long changes;
    /** The sum of {@link MemberDigest#of} over every record held, kept up to date on each change. */
    private long recordsDigest;
    /**
     * Stands for this table's content: a new one on every change, shared with a table that copied this
     * one ({@link #copyFrom}), so a value derived from the content ({@link #derived}) is worked out once
     * for all the tables that hold it (a simulator's 10,000 nodes start with the same view).
     */
    private Content content = new Content();

    private static final class Content {
        private Function<MemberTable, ?> derivation;
        private Object value;
    }

    public MemberTable(NameIndex names) {
        this.names = names;
    }

    public NameIndex names() {
        return names;
    }

    public Member get(String name) {
        int id = names.find(name);
        return id < 0 ? null : get(id);
    }

    /** The member with this {@link NameIndex} id, or null when this table has never heard of it. */
    public Member get(int id) {
        return id < byId.length ? byId[id] : null;
    }

    /** Exclusive upper bound of ids that may hold a member (ids are dense but may be unknown here). */
    public int idBound() {
        return Math.min(byId.length, names.size());
    }

    /** Members in any state, tombstones included. */
    public int knownCount() {
        return known;
    }

    /**
     * How many times this table changed: a reader that derives a value from every member recomputes
     * it only when this moved.
     */
    public long changes() {
        return changes;
    }

    /** The sum of {@link MemberDigest#of} over every member held, tombstones included. */
    public long recordsDigest() {
        return recordsDigest;
    }

    /**
     * {@code derivation}'s value for this table's content, worked out again only after a change. One
     * value is kept, for the last derivation asked: pass the same (constant) function every time.
     * The value must depend on nothing but the members held, and must be immutable: tables that
     * hold the same content share it.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Function<MemberTable, T> derivation) {
        Content c = content;
        if (c.derivation != derivation) {
            c.value = derivation.apply(this);
            c.derivation = derivation;
        }
        return (T) c.value;
    }

    /** Alive and suspect members, this node included: the N in SWIM's and Lifeguard's formulas. */
    public int liveCount() {
        return live;
    }

    /**
     * Merges {@code incoming}: it replaces the current belief only if it {@link Precedence#overrides} it.
     *
     * @return true if the table changed
     */
    public boolean merge(Member incoming) {
        int id = names.idOf(incoming.name());
        if (id >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        Member current = byId[id];
        if (!Precedence.overrides(incoming, current)) {
            return false;
        }
        byId[id] = incoming;
        changes++;
        content = new Content();
        recordsDigest += MemberDigest.of(incoming);
        if (current == null) {
            known++;
        } else {
            recordsDigest -= MemberDigest.of(current);
            if (current.status().isLive()) {
                live--;
            }
        }
        if (incoming.status().isLive()) {
            live++;
        }
        return true;
    }

    /**
     * Forgets {@code name} (reaping). The caller keeps whatever it needs to refuse stale news of it.
     *
     * @return the member that was removed, or null
     */
    public Member remove(String name) {
        int id = names.find(name);
        Member current = id < 0 ? null : get(id);
        if (current != null) {
            byId[id] = null;
            changes++;
            content = new Content();
            recordsDigest -= MemberDigest.of(current);
            known--;
            if (current.status().isLive()) {
                live--;
            }
        }
        return current;
    }

    /**
     * Replaces this table's content with a copy of {@code source}'s, which must share this table's
     * {@link NameIndex}: an array copy instead of N merges (a simulator starting 10,000 nodes).
     */
    public void copyFrom(MemberTable source) {
        if (source.names != names) {
            throw new IllegalArgumentException("copyFrom needs a table with the same name index");
        }
        byId = Arrays.copyOf(source.byId, Math.max(source.idBound(), 1));
        known = source.known;
        live = source.live;
        recordsDigest = source.recordsDigest;
        content = source.content;
        changes++;
    }

    public void forEach(Consumer<Member> action) {
        for (int id = 0, n = idBound(); id < n; id++) {
            Member m = byId[id];
            if (m != null) {
                action.accept(m);
            }
        }
    }

    /** All members in id order (deterministic), tombstones included. */
    public List<Member> snapshot() {
        List<Member> all = new ArrayList<>(known);
        forEach(all::add);
        return all;
    }
}
