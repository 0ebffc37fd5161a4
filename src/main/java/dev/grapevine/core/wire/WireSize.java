package dev.grapevine.core.wire;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.Utf8;
import dev.grapevine.core.recovery.EpochProgress;

import java.util.List;
import java.util.Map;

/**
 * Exact encoded sizes of {@link WireCodec}'s format, computed arithmetically: no encoding, no
 * allocation. The broadcast queue asks "does one more rumor fit in this datagram?" for every rumor
 * it considers, and the simulator accounts bytes for millions of messages, so this must be cheap.
 * {@link WireCodec#encode} also uses it to allocate its output exactly once.
 *
 * <h2>Sizing a message from its rumors</h2>
 * A list of {@code n} items is a varint count followed by the items, so for the lists of rumors
 * (piggyback of Ping and Ack, the body of Gossip), with {@code rumorBytes = sum of of(rumor)}:
 * <pre>
 *   gossip = HEADER_BYTES + varintSize(n) + rumorBytes
 *   ack    = HEADER_BYTES + varintSize(seq) + varintSize(n) + rumorBytes
 *   ping   = HEADER_BYTES + varintSize(seq) + stringSize(target) + varintSize(n) + rumorBytes
 * </pre>
 * which is what {@link #gossipSize}, {@link #ackSize} and {@link #pingSize} return. A packer filling a
 * byte budget should evaluate these with the count it would have <em>after</em> adding a rumor: the
 * count varint grows by one byte at 128 and at 16,384 items, so adding a rumor costs
 * {@code of(rumor) + listOverhead(n + 1) - listOverhead(n)}, usually just {@code of(rumor)}.
 *
 * <p>Sizes are ints: a message never comes near 2 GiB ({@link WireCodec#MAX_MESSAGE_BYTES} is 2 MiB).
 */
public final class WireSize {
    /** Version byte, cluster id (8 bytes) and message type byte, in front of every message. */
    public static final int HEADER_BYTES = 1 + 8 + 1;
    /** The type id byte in front of every rumor; {@link #of(Rumor)} includes it. */
    public static final int RUMOR_TYPE_BYTES = 1;

    private WireSize() {
    }

    /** Bytes of the whole encoded message, header included: {@code encode(m).length}. */
    public static int of(Message m) {
        if (m instanceof Message.Ping p) {
            return pingSize(p.seq(), p.target(), p.piggyback().size(), rumorsBytes(p.piggyback()));
        } else if (m instanceof Message.Ack a) {
            return ackSize(a.seq(), a.piggyback().size(), rumorsBytes(a.piggyback()));
        } else if (m instanceof Message.Nack n) {
            return HEADER_BYTES + varintSize(n.seq());
        } else if (m instanceof Message.PingReq r) {
            return HEADER_BYTES + varintSize(r.seq()) + stringSize(r.target())
                    + stringSize(r.targetAddress().host()) + varintSize(r.targetAddress().port());
        } else if (m instanceof Message.Gossip g) {
            return gossipSize(g.rumors().size(), rumorsBytes(g.rumors()));
        } else if (m instanceof Message.ViewDigest d) {
            return HEADER_BYTES + 8 + varintSize(d.eventClock());
        } else if (m instanceof Message.Event e) {
            return HEADER_BYTES + of(e.event()) + 8;
        } else if (m instanceof Message.Refusal rf) {
            return HEADER_BYTES + stringSize(rf.cluster()) + 8;
        } else if (m instanceof Message.PushPull pp) {
            int memberBytes = 0;
            for (Member member : pp.members()) {
                memberBytes += of(member);
            }
            int eventBytes = 0;
            for (UserEvent event : pp.recentEvents()) {
                eventBytes += of(event);
            }
            int progressBytes = 0;
            for (EpochProgress p : pp.progress()) {
                progressBytes += of(p);
            }
            return HEADER_BYTES + 1 /* flags */ + varintSize(pp.eventClock())
                    + listOverhead(pp.members().size()) + memberBytes
                    + listOverhead(pp.recentEvents().size()) + eventBytes
                    + listOverhead(pp.progress().size()) + progressBytes
                    + (pp.cluster().isEmpty() ? 0 : stringSize(pp.cluster()))
                    + statesSize(pp.states());
        }
        throw new IllegalArgumentException("no wire format for " + m.getClass().getName());
    }

    /** Bytes of one rumor as it appears inside a rumor list, its type id byte included. */
    public static int of(Rumor r) {
        if (r instanceof Rumor.MemberRumor mr) {
            return RUMOR_TYPE_BYTES + of(mr.member()) + stringSize(mr.source());
        } else if (r instanceof Rumor.EventRumor er) {
            return RUMOR_TYPE_BYTES + of(er.event());
        } else if (r instanceof Rumor.ProgressRumor pr) {
            return RUMOR_TYPE_BYTES + of(pr.progress());
        } else if (r instanceof Rumor.StateRumor sr) {
            return RUMOR_TYPE_BYTES + of(sr.state());
        }
        throw new IllegalArgumentException("no wire format for " + r.getClass().getName());
    }

    /** Bytes of one value of application state, without a rumor's type byte (as push-pull lists it). */
    public static int of(AppState s) {
        return stringSize(s.owner()) + stringSize(s.key()) + varintSize(s.epoch()) + varintSize(s.version())
                + varintSize(s.value().length) + s.value().length;
    }

    private static int statesSize(List<AppState> states) {
        if (states.isEmpty()) {
            return 0; // no count either: the flag says none follows
        }
        int bytes = listOverhead(states.size());
        for (AppState s : states) {
            bytes += of(s);
        }
        return bytes;
    }

    /** Bytes of one epoch's progress, without a rumor's type byte (as push-pull lists it). */
    public static int of(EpochProgress p) {
        int n = p.members();
        int bytes = 8 /* epoch */ + varintSize(n);
        for (int i = 0; i < n; i++) {
            long seq = p.seq(i);
            if (seq == 0) {
                bytes += 1;
            } else {
                long since = p.repairedSinceSeconds(i);
                boolean repaired = since != dev.grapevine.core.recovery.Progress.NOT_REPAIRED;
                bytes += varintSize(4 * seq + (repaired ? 2 : 0) + (p.done(i) ? 0 : 1));
                if (!p.done(i)) {
                    bytes += varintSize(p.pending(i)) + varintSize(p.failed(i));
                }
                if (repaired) {
                    bytes += varintSize(since);
                }
            }
        }
        return bytes;
    }

    /** Bytes of one user event: origin, Lamport time, name, payload. */
    public static int of(UserEvent e) {
        return stringSize(e.origin()) + varintSize(e.ltime()) + stringSize(e.name())
                + varintSize(e.payload().length) + e.payload().length;
    }

    /** Bytes of one member record: name, host, port, epoch, incarnation, status, tags. */
    public static int of(Member m) {
        int bytes = stringSize(m.name())
                + stringSize(m.address().host())
                + varintSize(m.address().port())
                + varintSize(m.epoch())
                + varintSize(m.incarnation())
                + 1 // status wire id
                + varintSize(m.tags().size());
        for (Map.Entry<String, String> tag : m.tags().entrySet()) {
            bytes += stringSize(tag.getKey()) + stringSize(tag.getValue());
        }
        return bytes;
    }

    /** A Gossip message carrying {@code rumorCount} rumors that take {@code rumorBytes} in total. */
    public static int gossipSize(int rumorCount, int rumorBytes) {
        return HEADER_BYTES + listOverhead(rumorCount) + rumorBytes;
    }

    /** A Ping carrying {@code rumorCount} piggybacked rumors that take {@code rumorBytes} in total. */
    public static int pingSize(long seq, String target, int rumorCount, int rumorBytes) {
        return HEADER_BYTES + varintSize(seq) + stringSize(target) + listOverhead(rumorCount) + rumorBytes;
    }

    /** An Ack carrying {@code rumorCount} piggybacked rumors that take {@code rumorBytes} in total. */
    public static int ackSize(long seq, int rumorCount, int rumorBytes) {
        return HEADER_BYTES + varintSize(seq) + listOverhead(rumorCount) + rumorBytes;
    }

    /** Bytes a list of {@code count} items adds besides its items: the count varint. */
    public static int listOverhead(int count) {
        return varintSize(count);
    }

    /** Bytes of a string on the wire: varint UTF-8 length, then the UTF-8 bytes. */
    public static int stringSize(String s) {
        int utf8Bytes = Utf8.length(s);
        return varintSize(utf8Bytes) + utf8Bytes;
    }

    /**
     * Bytes of {@code value} as an unsigned LEB128 varint: 7 bits per byte, so 1 byte below 128,
     * 2 below 16,384, ..., 9 for {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException for negative values, which the format cannot carry
     */
    public static int varintSize(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value cannot be encoded as an unsigned varint: " + value);
        }
        // bits needed (at least 1), rounded up to groups of 7
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    private static int rumorsBytes(List<Rumor> rumors) {
        int bytes = 0;
        for (int i = 0, n = rumors.size(); i < n; i++) {
            bytes += of(rumors.get(i));
        }
        return bytes;
    }
}
