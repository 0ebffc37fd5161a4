package dev.grapevine.sim;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's traffic goes: messages and bytes sent per message type, and the copies of rumors
 * they carried per rumor type (a member rumor by the status it asserts). Each message counts once
 * when sent, lost or not, as {@link Simulation#messagesSent()} does.
 */
final class TrafficCounter {
    /** Message type → {messages, bytes}. */
    private final Map<String, long[]> messages = new TreeMap<>();
    private final Map<String, Long> rumorCopies = new TreeMap<>();

    void count(Message message, int bytes) {
        long[] c = messages.computeIfAbsent(typeOf(message), k -> new long[2]);
        c[0]++;
        c[1] += bytes;
        for (Rumor r : rumorsOf(message)) rumorCopies.merge(typeOf(r), 1L, Long::sum);
    }

    /** Per node per second: {"messages": {type: {"messages", "bytes"}}, "rumor_copies": {type: n}}. */
    Map<String, Object> perNodePerSecond(double seconds, int nodes) {
        double per = seconds * nodes;
        Map<String, Object> byType = new LinkedHashMap<>();
        messages.forEach((type, c) -> {
            Map<String, Object> figures = new LinkedHashMap<>(); // messages, then bytes, in every run (Map.of's order varies per JVM)
            figures.put("messages", round2(c[0] / per));
            figures.put("bytes", round2(c[1] / per));
            byType.put(type, figures);
        });
        Map<String, Object> copies = new LinkedHashMap<>();
        rumorCopies.forEach((type, n) -> copies.put(type, round2(n / per)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", byType);
        out.put("rumor_copies", copies);
        return out;
    }

    private static List<Rumor> rumorsOf(Message m) {
        if (m instanceof Message.Ping p) return p.piggyback();
        if (m instanceof Message.Ack a) return a.piggyback();
        if (m instanceof Message.Gossip g) return g.rumors();
        return List.of();
    }

    /** Names per class and per member status, worked out once: this runs for every message a simulation sends. */
    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return snake(type.getSimpleName());
        }
    };
    private static final Map<MemberStatus, String> MEMBER_RUMOR_NAMES = new EnumMap<>(MemberStatus.class);

    static {
        for (MemberStatus s : MemberStatus.values()) MEMBER_RUMOR_NAMES.put(s, "member_" + s.name().toLowerCase(Locale.ROOT));
    }

    private static String typeOf(Message m) {
        return NAMES.get(m.getClass());
    }

    private static String typeOf(Rumor r) {
        if (r instanceof Rumor.MemberRumor m) return MEMBER_RUMOR_NAMES.get(m.member().status());
        return NAMES.get(r.getClass());
    }

    /** PushPull → push_pull, as the other figures are named. */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
