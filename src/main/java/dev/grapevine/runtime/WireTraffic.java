package dev.grapevine.runtime;

import dev.grapevine.core.wire.Message;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages and bytes this actor system sent and received over Artery, by message type, as
 * {@link WireTrafficInstrument} counts them. One per actor system (a Pekko extension), so several
 * nodes in one JVM count apart.
 *
 * <p>Types are a fixed set of names, so a metric labelled with them stays small: a protocol message
 * by its {@link Message} type ({@code ping}, {@code push_pull}); a message of a domain's sealed
 * {@code XxxMessage} interface as {@code xxx_} and its type ({@code repair_tree_request},
 * {@code kv_replica_write}); anything else (Pekko's own control messages) as {@link #OTHER}. At most
 * {@link #TYPES_MAX} names are kept; later ones count as {@link #OTHER}.
 */
final class WireTraffic implements Extension {
    public static final String OTHER = "other";
    /** Distinct type names; far above the ~30 that Grapevine's messages have. */
    static final int TYPES_MAX = 64;

    /** What one message type cost. Readable from any thread. */
    public static final class Counts {
        final LongAdder messagesIn = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder messagesOut = new LongAdder();
        final LongAdder bytesOut = new LongAdder();

        public long messagesIn() {
            return messagesIn.sum();
        }

        public long bytesIn() {
            return bytesIn.sum();
        }

        public long messagesOut() {
            return messagesOut.sum();
        }

        public long bytesOut() {
            return bytesOut.sum();
        }
    }

    private static final class Id extends AbstractExtensionId<WireTraffic> implements ExtensionIdProvider {
        @Override
        public WireTraffic createExtension(ExtendedActorSystem system) {
            return new WireTraffic();
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }

    private static final Id ID = new Id();

    private final Map<String, Counts> byType = new ConcurrentHashMap<>();
    /** The counts of a class; computed once per class, so counting a message is a lookup and two adds. */
    private final ClassValue<Counts> byClass = new ClassValue<>() {
        @Override
        protected Counts computeValue(Class<?> type) {
            return countsOf(typeName(type));
        }
    };

    private WireTraffic() {
        // Every protocol and repair type shows from the start, at 0, so a dashboard sees them all.
        for (Class<?> type : Message.class.getPermittedSubclasses()) {
            byClass.get(type);
        }
        for (Class<?> type : RepairMessage.class.getPermittedSubclasses()) {
            byClass.get(type);
        }
        countsOf(OTHER);
    }

    /** The counts of {@code system} (a classic or typed system's classic side). */
    public static WireTraffic get(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    /** Counts of every type seen (and every protocol type), by type name, in name order. */
    public Map<String, Counts> snapshot() {
        return Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    void sent(Object message, int bytes) {
        Counts c = of(message);
        c.messagesOut.increment();
        c.bytesOut.add(bytes);
    }

    void received(Object message, int bytes) {
        Counts c = of(message);
        c.messagesIn.increment();
        c.bytesIn.add(bytes);
    }

    private Counts of(Object message) {
        Object typed = message instanceof PeerMessage pm ? pm.message() : message;
        return typed == null ? byType.get(OTHER) : byClass.get(typed.getClass());
    }

    private Counts countsOf(String name) {
        Counts c = byType.get(name);
        if (c != null) {
            return c;
        }
        synchronized (byType) {
            String kept = byType.size() < TYPES_MAX ? name : OTHER;
            return byType.computeIfAbsent(kept, n -> new Counts());
        }
    }

    /** {@code ping} for Message.Ping, {@code kv_write_ack} for KvMessage.WriteAck, else {@link #OTHER}. */
    static String typeName(Class<?> type) {
        Class<?> outer = type.getEnclosingClass();
        if (outer == null || !outer.isInterface() || !outer.isSealed() || !outer.getSimpleName().endsWith("Message")) {
            return OTHER;
        }
        String domain = outer.getSimpleName().substring(0, outer.getSimpleName().length() - "Message".length());
        String name = snake(type.getSimpleName());
        return outer == Message.class || domain.isEmpty() ? name : snake(domain) + "_" + name;
    }

    private static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
