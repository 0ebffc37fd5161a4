package dev.grapevine.core.wire;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.Utf8;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The binary wire format of {@link Message}s: compact, because gossip piggybacks on small datagrams
 * and every byte saved is room for another rumor; versioned, so a rolling upgrade can tell an
 * incompatible peer from a corrupt packet; and strict, because its input comes from the network.
 *
 * <h2>Layout</h2>
 * <pre>
 *   message  = version:u8 cluster:u64 (big-endian) type:u8 body      (no trailing bytes)
 *   Ping     = seq:varint target:string rumors
 *   Ack      = seq:varint rumors
 *   Nack     = seq:varint
 *   PingReq  = seq:varint target:string host:string port:varint
 *   Gossip   = rumors
 *   ViewDigest = digest:u64 (big-endian) eventClock:varint
 *   Event    = event liveMembers:u64 (big-endian)
 *   Refusal  = cluster:string refused:u64 (big-endian)
 *   PushPull = flags:u8 (bit 0 join, bit 1 reply, bit 2 cluster) eventClock:varint count:varint member*
 *              count:varint event* count:varint progress* [cluster:string, if bit 2]
 *              [count:varint state*, if bit 3]
 *   rumors   = count:varint rumor*
 *   rumor    = 1:u8 member source:string                                    (MemberRumor)
 *            | 2:u8 event                                                   (EventRumor)
 *            | 4:u8 progress                                                (ProgressRumor)
 *            | 5:u8 state                                                   (StateRumor)
 *   state    = owner:string key:string epoch:varint version:varint value:bytes  (AppState; version ≥ 1)
 *   progress = epoch:u64 (big-endian) count:varint word*          (EpochProgress; count 1..65536)
 *   word     = 0:varint                                           no word from this member
 *            | (4·seq + 2·r + n):varint [pending:varint failed:varint, if n] [since:varint, if r]
 *              seq ≥ 1; n = 1: not done (not both counts 0); r = 1: repaired since that second
 *   event    = origin:string ltime:varint name:string payload:bytes
 *   member   = name:string host:string port:varint epoch:varint incarnation:varint
 *              status:u8 (MemberStatus.wireId) tagCount:varint (key:string value:string)*
 *   string   = length:varint UTF-8 bytes;   bytes = length:varint raw bytes
 *   varint   = unsigned LEB128, shortest form, values 0..Long.MAX_VALUE (at most 9 bytes)
 * </pre>
 * Tags are written in ascending key order. Sizes are computed without encoding by {@link WireSize}.
 *
 * <h2>Cluster id</h2>
 * Every message carries the id of its sender's cluster ({@link ClusterName#id}, 8 bytes) in its
 * header, and a node drops a message of another cluster before it reads it (see
 * {@code ClusterGuard}). In the header rather than in some messages: every message that carries
 * rumors (ping, ack, gossip, push-pull) or starts an exchange could let a node of another cluster
 * inject members, and a fixed 8 bytes is cheaper than the checks of knowing which is which. A
 * {@code Refusal} names the refusing node's cluster, so that a joiner can report both names.
 *
 * <h2>Decoding untrusted input</h2>
 * {@link #decode} throws only {@link WireFormatException} for bad input, and checks every declared
 * length and count against the bytes that remain before allocating anything. It accepts only the
 * canonical encoding (shortest varints, well-formed UTF-8, sorted unique tag keys, no unknown flag
 * bits), so whatever decodes re-encodes to the very same bytes. New flags, fields or message kinds
 * that old nodes must not misread need a new {@link #VERSION}.
 *
 * <p>Stateless and allocation-lean: encoding sizes the output exactly and writes into it directly.
 */
public final class WireCodec {

    /**
     * The format this node writes and the only one it reads. 2: recovery progress rumors, in push-pull
     * too, view digests, and user events sent straight to each member. 3: recovery progress as one
     * value per epoch (rumor type 4), not one rumor per member (type 3, retired). 4: an event sent
     * straight carries its origin's digest of the live members. 5: every message carries its
     * cluster's id in its header, a join names its cluster (push-pull flag bit 2), and a node of
     * another cluster answers a join with a Refusal;
     * a version-4 node cannot talk to a version-5 node, which is deliberate: the older one cannot
     * tell which cluster a message comes from. 6: a progress word may carry the second since which
     * its member's exchanges all succeeded (tombstone GC); words are 4·seq + flags, not 2·seq + flag.
     */
    public static final int VERSION = 6;

    // ---------------------------------------------------------------------------------------------
    // Type ids are a wire-compatibility point: nodes of different builds must agree on them.
    // ONLY APPEND to these lists; never renumber, never reuse a retired id.
    // ---------------------------------------------------------------------------------------------
    /** Message type ids (byte 1 of every message). ONLY APPEND; never renumber. */
    public static final int TYPE_PING = 1;
    public static final int TYPE_ACK = 2;
    public static final int TYPE_NACK = 3;
    public static final int TYPE_PING_REQ = 4;
    public static final int TYPE_GOSSIP = 5;
    public static final int TYPE_PUSH_PULL = 6;
    public static final int TYPE_VIEW_DIGEST = 7;
    public static final int TYPE_EVENT = 8;
    public static final int TYPE_REFUSAL = 9;

    /** Rumor type ids (first byte of every rumor). ONLY APPEND; never renumber. */
    public static final int RUMOR_MEMBER = 1;
    public static final int RUMOR_EVENT = 2;
    // 3: one member's progress, in version 2; retired.
    public static final int RUMOR_PROGRESS = 4;
    /**
     * Application state (in release of the same {@link #VERSION}: only a node that uses application
     * state sends it, and a node of an earlier release refuses it as an unknown rumor type).
     */
    public static final int RUMOR_STATE = 5;

    /** PushPull flag bits. ONLY APPEND; never renumber. */
    static final int FLAG_JOIN = 1;
    static final int FLAG_REPLY = 1 << 1;
    /** The sender's cluster name follows the progress list. */
    static final int FLAG_CLUSTER = 1 << 2;
    /** Application state follows the cluster name; set only when there is some (see {@link #RUMOR_STATE}). */
    static final int FLAG_STATES = 1 << 3;
    private static final int KNOWN_FLAGS = FLAG_JOIN | FLAG_REPLY | FLAG_CLUSTER | FLAG_STATES;
    // ---------------------------------------------------------------------------------------------

    /**
     * Largest message accepted (and produced), 2 MiB: far above any datagram, enough for a push-pull
     * of thousands of members over a stream, and a cap on what a forged message can make us allocate.
     */
    public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    /** Largest string, in UTF-8 bytes (64 KiB). Names and tags have tighter limits of their own. */
    public static final int MAX_STRING_BYTES = 64 * 1024;

    private WireCodec() {
    }

    /**
     * Encodes {@code m}.
     *
     * @throws IllegalArgumentException if a number is negative, a string is longer than
     *                                  {@link #MAX_STRING_BYTES} or the message is longer than
     *                                  {@link #MAX_MESSAGE_BYTES}: the peer could not decode it
     */
    public static byte[] encode(Message m) {
        return encode(ClusterName.DEFAULT.id(), m);
    }

    /**
     * Encodes {@code m} as a message of the cluster whose id is {@code cluster}.
     *
     * @throws IllegalArgumentException as {@link #encode(Message)}
     */
    public static byte[] encode(long cluster, Message m) {
        Objects.requireNonNull(m, "message");
        int size = WireSize.of(m);
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " of " + size
                    + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES + " bytes");
        }
        WireWriter w = new WireWriter(size);
        w.writeByte(VERSION);
        w.writeFixed64(cluster);
        if (m instanceof Message.Ping p) {
            w.writeByte(TYPE_PING);
            w.writeVarint(p.seq(), "ping seq");
            w.writeString(p.target(), "ping target");
            writeRumors(w, p.piggyback());
        } else if (m instanceof Message.Ack a) {
            w.writeByte(TYPE_ACK);
            w.writeVarint(a.seq(), "ack seq");
            writeRumors(w, a.piggyback());
        } else if (m instanceof Message.Nack n) {
            w.writeByte(TYPE_NACK);
            w.writeVarint(n.seq(), "nack seq");
        } else if (m instanceof Message.PingReq r) {
            w.writeByte(TYPE_PING_REQ);
            w.writeVarint(r.seq(), "ping-req seq");
            w.writeString(r.target(), "ping-req target");
            w.writeString(r.targetAddress().host(), "ping-req host");
            w.writeVarint(r.targetAddress().port(), "ping-req port");
        } else if (m instanceof Message.Gossip g) {
            w.writeByte(TYPE_GOSSIP);
            writeRumors(w, g.rumors());
        } else if (m instanceof Message.ViewDigest d) {
            w.writeByte(TYPE_VIEW_DIGEST);
            w.writeFixed64(d.digest());
            w.writeVarint(d.eventClock(), "view digest event clock");
        } else if (m instanceof Message.Event e) {
            w.writeByte(TYPE_EVENT);
            writeEvent(w, e.event());
            w.writeFixed64(e.liveMembers());
        } else if (m instanceof Message.Refusal rf) {
            w.writeByte(TYPE_REFUSAL);
            w.writeString(rf.cluster(), "refusal cluster");
            w.writeFixed64(rf.refused());
        } else if (m instanceof Message.PushPull pp) {
            w.writeByte(TYPE_PUSH_PULL);
            w.writeByte((pp.join() ? FLAG_JOIN : 0) | (pp.reply() ? FLAG_REPLY : 0) | (pp.cluster().isEmpty() ? 0 : FLAG_CLUSTER)
                    | (pp.states().isEmpty() ? 0 : FLAG_STATES));
            w.writeVarint(pp.eventClock(), "push-pull event clock");
            List<Member> members = pp.members();
            w.writeVarint(members.size(), "member count");
            for (int i = 0, n = members.size(); i < n; i++) {
                writeMember(w, members.get(i));
            }
            List<UserEvent> events = pp.recentEvents();
            w.writeVarint(events.size(), "event count");
            for (int i = 0, n = events.size(); i < n; i++) {
                writeEvent(w, events.get(i));
            }
            List<EpochProgress> progress = pp.progress();
            w.writeVarint(progress.size(), "progress count");
            for (int i = 0, n = progress.size(); i < n; i++) {
                writeProgress(w, progress.get(i));
            }
            if (!pp.cluster().isEmpty()) {
                w.writeString(pp.cluster(), "push-pull cluster");
            }
            List<AppState> states = pp.states();
            if (!states.isEmpty()) {
                w.writeVarint(states.size(), "state count");
                for (int i = 0, n = states.size(); i < n; i++) {
                    writeState(w, states.get(i));
                }
            }
        } else {
            throw new IllegalArgumentException("no wire format for " + m.getClass().getName());
        }
        return w.finish(size);
    }

    /** Decodes a whole array; see {@link #decode(byte[], int, int)}. */
    public static Message decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes the message in the range, whatever its cluster; see {@link #decodeFrame}. */
    public static Message decode(byte[] bytes, int offset, int length) {
        return decodeFrame(bytes, offset, length).message();
    }

    /** A decoded message and the id of the cluster of the node that sent it. */
    public record Frame(long cluster, Message message) {
        public Frame {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Decodes the message in {@code bytes[offset, offset + length)}; the range must hold exactly one
     * message.
     *
     * @throws WireFormatException       if the bytes are not a valid message of {@link #VERSION}
     * @throws IndexOutOfBoundsException if the range lies outside the array (a caller's bug, not bad input)
     */
    public static Frame decodeFrame(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            throw new WireFormatException("empty message: expected at least a version byte and a type byte");
        }
        if (length > MAX_MESSAGE_BYTES) {
            throw new WireFormatException("message of " + length + " bytes exceeds the limit of "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        WireReader r = new WireReader(bytes, offset, length);
        int version = r.readUnsignedByte("version");
        if (version != VERSION) {
            throw new WireFormatException("unsupported wire version " + version + " (this node speaks " + VERSION + ")");
        }
        long cluster = r.readFixed64("cluster id");
        int type = r.readUnsignedByte("message type");
        // Java evaluates constructor arguments left to right, which is the order of the fields on the wire.
        Message m = switch (type) {
            case TYPE_PING -> new Message.Ping(r.readVarint("ping seq"), r.readString("ping target"),
                    readRumors(r, "piggyback rumor count"));
            case TYPE_ACK -> new Message.Ack(r.readVarint("ack seq"), readRumors(r, "piggyback rumor count"));
            case TYPE_NACK -> new Message.Nack(r.readVarint("nack seq"));
            case TYPE_PING_REQ -> new Message.PingReq(r.readVarint("ping-req seq"), r.readString("ping-req target"),
                    readAddress(r, "ping-req host", "ping-req port"));
            case TYPE_GOSSIP -> new Message.Gossip(readRumors(r, "gossip rumor count"));
            case TYPE_PUSH_PULL -> readPushPull(r);
            case TYPE_VIEW_DIGEST -> new Message.ViewDigest(r.readFixed64("view digest"), r.readVarint("view digest event clock"));
            case TYPE_EVENT -> new Message.Event(readEvent(r), r.readFixed64("event live members"));
            case TYPE_REFUSAL -> readRefusal(r);
            default -> throw new WireFormatException("unknown message type " + type);
        };
        if (r.remaining() != 0) {
            throw new WireFormatException("trailing garbage: " + r.remaining() + " bytes after a complete "
                    + m.getClass().getSimpleName() + " at offset " + r.offset());
        }
        return new Frame(cluster, m);
    }

    private static Message.Refusal readRefusal(WireReader r) {
        String cluster = r.readString("refusal cluster");
        String problem = ClusterName.problem(cluster);
        if (problem != null) {
            throw new WireFormatException("refusal: cluster name " + problem);
        }
        return new Message.Refusal(cluster, r.readFixed64("refusal refused cluster"));
    }

    // ----- encoding ---------------------------------------------------------------------------------

    private static void writeRumors(WireWriter w, List<Rumor> rumors) {
        int n = rumors.size();
        w.writeVarint(n, "rumor count");
        for (int i = 0; i < n; i++) {
            Rumor rumor = rumors.get(i);
            if (rumor instanceof Rumor.MemberRumor mr) {
                w.writeByte(RUMOR_MEMBER);
                writeMember(w, mr.member());
                w.writeString(mr.source(), "rumor source");
            } else if (rumor instanceof Rumor.EventRumor er) {
                w.writeByte(RUMOR_EVENT);
                writeEvent(w, er.event());
            } else if (rumor instanceof Rumor.ProgressRumor pr) {
                w.writeByte(RUMOR_PROGRESS);
                writeProgress(w, pr.progress());
            } else if (rumor instanceof Rumor.StateRumor sr) {
                w.writeByte(RUMOR_STATE);
                writeState(w, sr.state());
            } else {
                throw new IllegalArgumentException("no wire format for " + rumor.getClass().getName());
            }
        }
    }

    private static void writeEvent(WireWriter w, UserEvent e) {
        w.writeString(e.origin(), "event origin");
        w.writeVarint(e.ltime(), "event ltime");
        w.writeString(e.name(), "event name");
        w.writeBytes(e.payload(), "event payload");
    }

    private static void writeState(WireWriter w, AppState s) {
        w.writeString(s.owner(), "state owner");
        w.writeString(s.key(), "state key");
        w.writeVarint(s.epoch(), "state epoch");
        w.writeVarint(s.version(), "state version");
        w.writeBytes(s.value(), "state value");
    }

    private static void writeProgress(WireWriter w, EpochProgress p) {
        w.writeFixed64(p.epoch());
        int n = p.members();
        w.writeVarint(n, "progress member count");
        for (int i = 0; i < n; i++) {
            long seq = p.seq(i);
            if (seq == 0) {
                w.writeVarint(0, "progress word");
                continue;
            }
            long since = p.repairedSinceSeconds(i);
            boolean repaired = since != Progress.NOT_REPAIRED;
            w.writeVarint(4 * seq + (repaired ? 2 : 0) + (p.done(i) ? 0 : 1), "progress word");
            if (!p.done(i)) {
                w.writeVarint(p.pending(i), "progress pending");
                w.writeVarint(p.failed(i), "progress failed");
            }
            if (repaired) {
                w.writeVarint(since, "progress repaired-since");
            }
        }
    }

    private static void writeMember(WireWriter w, Member m) {
        w.writeString(m.name(), "member name");
        w.writeString(m.address().host(), "member host");
        w.writeVarint(m.address().port(), "member port");
        w.writeVarint(m.epoch(), "member epoch");
        w.writeVarint(m.incarnation(), "member incarnation");
        w.writeByte(m.status().wireId());
        SortedMap<String, String> tags = m.tags();
        w.writeVarint(tags.size(), "tag count");
        // The decoder insists on ascending natural key order; a map sorted otherwise is re-sorted here
        // (putAll, not the copy constructor: TreeMap(SortedMap) would keep the foreign comparator).
        Map<String, String> ordered = tags;
        if (tags.comparator() != null) {
            TreeMap<String, String> natural = new TreeMap<>();
            natural.putAll(tags);
            ordered = natural;
        }
        for (Map.Entry<String, String> tag : ordered.entrySet()) {
            w.writeString(tag.getKey(), "tag key");
            w.writeString(tag.getValue(), "tag value");
        }
    }

    // ----- decoding ---------------------------------------------------------------------------------

    private static List<Rumor> readRumors(WireReader r, String what) {
        int n = r.readCount(what);
        if (n == 0) {
            return List.of();
        }
        Rumor[] rumors = new Rumor[n];
        for (int i = 0; i < n; i++) {
            rumors[i] = readRumor(r);
        }
        return List.of(rumors); // immutable already, so the record's List.copyOf keeps it as is
    }

    private static Rumor readRumor(WireReader r) {
        int at = r.offset();
        int type = r.readUnsignedByte("rumor type");
        switch (type) {
            case RUMOR_MEMBER: {
                Member member = readMember(r);
                return new Rumor.MemberRumor(member, r.readString("rumor source"));
            }
            case RUMOR_EVENT:
                return new Rumor.EventRumor(readEvent(r));
            case RUMOR_PROGRESS:
                return new Rumor.ProgressRumor(readProgress(r));
            case RUMOR_STATE:
                return new Rumor.StateRumor(readState(r));
            default:
                throw new WireFormatException("unknown rumor type " + type + " at offset " + at);
        }
    }

    private static UserEvent readEvent(WireReader r) {
        int at = r.offset();
        String origin = r.readString("event origin");
        long ltime = r.readVarint("event ltime");
        String name = r.readString("event name");
        byte[] payload = r.readBytes("event payload");
        try {
            return new UserEvent(origin, ltime, name, payload);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid user event at offset " + at + ": " + e.getMessage(), e);
        }
    }

    private static AppState readState(WireReader r) {
        int at = r.offset();
        String owner = r.readString("state owner");
        String key = r.readString("state key");
        long epoch = r.readVarint("state epoch");
        long version = r.readVarint("state version");
        byte[] value = r.readBytes("state value");
        try {
            return new AppState(owner, key, epoch, version, value);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid application state at offset " + at + ": " + e.getMessage(), e);
        }
    }

    private static EpochProgress readProgress(WireReader r) {
        int at = r.offset();
        long epoch = r.readFixed64("progress epoch");
        int n = r.readCount("progress member count"); // each word takes a byte at least
        if (n < 1 || n > EpochProgress.MEMBERS_MAX) {
            throw new WireFormatException("progress at offset " + at + " lists " + n + " members, not 1.."
                    + EpochProgress.MEMBERS_MAX);
        }
        long[] seq = new long[n];
        int[] pending = new int[n];
        int[] failed = new int[n];
        long[] since = new long[n];
        for (int i = 0; i < n; i++) {
            long word = r.readVarint("progress word");
            seq[i] = word >>> 2;
            since[i] = Progress.NOT_REPAIRED;
            if ((word & 1) != 0) {
                long p = r.readVarint("progress pending");
                long f = r.readVarint("progress failed");
                if (p > Integer.MAX_VALUE || f > Integer.MAX_VALUE || p == 0 && f == 0) {
                    throw new WireFormatException("progress counts of member " + i + " at offset " + at
                            + " are out of range, or say done in the form for not done: " + p + ", " + f);
                }
                pending[i] = (int) p;
                failed[i] = (int) f;
            }
            if ((word & 2) != 0) {
                since[i] = r.readVarint("progress repaired-since");
            }
        }
        try {
            return EpochProgress.of(epoch, seq, pending, failed, since);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid progress at offset " + at + ": " + e.getMessage(), e);
        }
    }

    private static Message.PushPull readPushPull(WireReader r) {
        int flags = r.readUnsignedByte("push-pull flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new WireFormatException("unknown push-pull flag bits 0x" + Integer.toHexString(flags & ~KNOWN_FLAGS)
                    + " at offset " + (r.offset() - 1));
        }
        long eventClock = r.readVarint("push-pull event clock");
        int n = r.readCount("push-pull member count");
        Member[] members = new Member[n];
        for (int i = 0; i < n; i++) {
            members[i] = readMember(r);
        }
        int eventCount = r.readCount("push-pull event count");
        UserEvent[] events = new UserEvent[eventCount];
        for (int i = 0; i < eventCount; i++) {
            events[i] = readEvent(r);
        }
        int progressCount = r.readCount("push-pull progress count");
        EpochProgress[] progress = new EpochProgress[progressCount];
        for (int i = 0; i < progressCount; i++) {
            progress[i] = readProgress(r);
        }
        String cluster = "";
        if ((flags & FLAG_CLUSTER) != 0) {
            cluster = r.readString("push-pull cluster");
            String problem = ClusterName.problem(cluster);
            if (problem != null) {
                throw new WireFormatException("push-pull: cluster name " + problem);
            }
        }
        List<AppState> states = List.of();
        if ((flags & FLAG_STATES) != 0) {
            int stateCount = r.readCount("push-pull state count");
            if (stateCount == 0) {
                throw new WireFormatException("push-pull: the state flag is set but no state follows"); // canonical form only
            }
            AppState[] read = new AppState[stateCount];
            for (int i = 0; i < stateCount; i++) {
                read[i] = readState(r);
            }
            states = List.of(read);
        }
        return new Message.PushPull((flags & FLAG_JOIN) != 0, (flags & FLAG_REPLY) != 0, eventClock, List.of(members),
                List.of(events), List.of(progress), cluster, states);
    }

    private static Member readMember(WireReader r) {
        int at = r.offset();
        String name = r.readString("member name");
        Address address = readAddress(r, "member host", "member port");
        long epoch = r.readVarint("member epoch");
        long incarnation = r.readVarint("member incarnation");
        int statusId = r.readUnsignedByte("member status");
        SortedMap<String, String> tags = readTags(r, name);
        try {
            return new Member(name, address, epoch, incarnation, MemberStatus.fromWireId(statusId), tags);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid member at offset " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tags in strictly ascending key order (what the encoder writes; it also rules out duplicates),
     * and no more bytes than a member may carry: checked as they arrive, so a forged count cannot
     * fill a large map before {@link Member}'s own check would reject it.
     */
    private static SortedMap<String, String> readTags(WireReader r, String member) {
        int n = r.readCount("tag count");
        if (n == 0) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> tags = new TreeMap<>();
        String previous = null;
        int tagBytes = 0;
        for (int i = 0; i < n; i++) {
            int at = r.offset();
            String key = r.readString("tag key");
            String value = r.readString("tag value");
            if (previous != null && key.compareTo(previous) <= 0) {
                throw new WireFormatException("tag key '" + key + "' of member " + member + " at offset " + at
                        + (key.equals(previous) ? " is a duplicate" : " is out of order (keys must ascend)"));
            }
            tagBytes += Utf8.length(key) + Utf8.length(value); // Member's measure of tags
            if (tagBytes > Member.TAGS_BYTES_MAX) {
                throw new WireFormatException("tags of member " + member + " exceed the limit of "
                        + Member.TAGS_BYTES_MAX + " bytes at offset " + at);
            }
            tags.put(key, value);
            previous = key;
        }
        return tags;
    }

    /** {@code hostWhat} and {@code portWhat} name the fields in errors; constants, so nothing is built here. */
    private static Address readAddress(WireReader r, String hostWhat, String portWhat) {
        int at = r.offset();
        String host = r.readString(hostWhat);
        long port = r.readVarint(portWhat);
        if (port > 65_535) {
            throw new WireFormatException(portWhat + " " + port + " at offset " + at + " is out of range 1..65535");
        }
        try {
            return new Address(host, (int) port);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid address at offset " + at + ": " + e.getMessage(), e);
        }
    }
}
