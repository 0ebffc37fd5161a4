package dev.grapevine.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.wire.Message;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Builds {@link SwimNode}s over one {@link NameIndex} and picks effects out of a step's outbox. Time is
 * driven by hand: every step is one call with an explicit {@code nowMillis}.
 */
final class NodeHarness {
    static final Settings LAN = Profile.LAN.settings();

    final NameIndex names = new NameIndex();
    final Settings settings;

    NodeHarness() {
        this(LAN);
    }

    NodeHarness(Settings settings) {
        this.settings = settings;
    }

    // ---------------------------------------------------------------- members and nodes

    static Address addressOf(String name) {
        return new Address(name.toLowerCase(Locale.ROOT) + ".test", 7946);
    }

    /** {@code name} alive at epoch 1, incarnation 0, at {@link #addressOf}. */
    static Member alive(String name) {
        return Member.alive(name, addressOf(name), 1, 0, Map.of());
    }

    /** A node named {@code name} (epoch 1, incarnation 0) that knows {@code peers} alive. */
    SwimNode node(String name, long seed, String... peers) {
        return node(alive(name), seed, Arrays.stream(peers).map(NodeHarness::alive).toList());
    }

    SwimNode node(Member self, long seed, List<Member> view) {
        SwimNode node = new SwimNode(self, settings, new SplittableRandom(seed), names);
        node.restoreView(view, 0, new Outbox()); // timers it asks for are fired by hand in the tests
        return node;
    }

    // ---------------------------------------------------------------- stepping

    /** Runs one step against a fresh outbox and returns its effects. */
    static List<Effect> step(Consumer<Outbox> action) {
        Outbox out = new Outbox();
        action.accept(out);
        return out.drain();
    }

    static List<Effect> receive(SwimNode node, String fromName, Message message, long nowMillis) {
        return step(out -> node.onMessage(addressOf(fromName), message, nowMillis, out));
    }

    static List<Effect> receive(SwimNode node, Address from, Message message, long nowMillis) {
        return step(out -> node.onMessage(from, message, nowMillis, out));
    }

    static List<Effect> fire(SwimNode node, Timer timer, long nowMillis) {
        return step(out -> node.onTimer(timer, nowMillis, out));
    }

    static Message.Gossip gossip(Rumor... rumors) {
        return new Message.Gossip(List.of(rumors));
    }

    static Rumor.MemberRumor rumor(Member member, String source) {
        return new Rumor.MemberRumor(member, source);
    }

    // ---------------------------------------------------------------- picking effects

    static List<Effect.Send> sends(List<Effect> effects) {
        return effects.stream().filter(Effect.Send.class::isInstance).map(Effect.Send.class::cast).toList();
    }

    static <M extends Message> List<Effect.Send> sendsOf(List<Effect> effects, Class<M> type) {
        return sends(effects).stream().filter(s -> type.isInstance(s.message())).toList();
    }

    static <M extends Message> List<M> sent(List<Effect> effects, Class<M> type) {
        return sendsOf(effects, type).stream().map(s -> type.cast(s.message())).toList();
    }

    /** The single send of a {@code type} message; fails the test if there is not exactly one. */
    static <M extends Message> Effect.Send onlySend(List<Effect> effects, Class<M> type) {
        List<Effect.Send> matching = sendsOf(effects, type);
        assertEquals(1, matching.size(), () -> "expected exactly one " + type.getSimpleName() + " in " + effects);
        return matching.get(0);
    }

    static List<Effect.Schedule> scheduled(List<Effect> effects, Timer.Kind kind) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(s -> s.timer().kind() == kind).toList();
    }

    /** The single schedule of a {@code kind} timer; fails the test if there is not exactly one. */
    static Effect.Schedule onlySchedule(List<Effect> effects, Timer.Kind kind) {
        List<Effect.Schedule> matching = scheduled(effects, kind);
        assertEquals(1, matching.size(), () -> "expected exactly one " + kind + " schedule in " + effects);
        return matching.get(0);
    }

    static List<MemberEvent> published(List<Effect> effects) {
        return effects.stream().filter(Effect.Publish.class::isInstance)
                .map(e -> ((Effect.Publish) e).event()).toList();
    }

    static List<UserEvent> delivered(List<Effect> effects) {
        return effects.stream().filter(Effect.Deliver.class::isInstance)
                .map(e -> ((Effect.Deliver) e).event()).toList();
    }

    /** The member rumors about {@code name} among {@code rumors}, in order. */
    static List<Rumor.MemberRumor> rumorsAbout(List<Rumor> rumors, String name) {
        return rumors.stream().filter(Rumor.MemberRumor.class::isInstance).map(Rumor.MemberRumor.class::cast)
                .filter(r -> r.member().name().equals(name)).toList();
    }

    /** Every rumor piggybacked or gossiped in the sends among {@code effects}. */
    static List<Rumor> rumorsSent(List<Effect> effects) {
        return sends(effects).stream().flatMap(s -> {
            Message m = s.message();
            if (m instanceof Message.Ping p) {
                return p.piggyback().stream();
            } else if (m instanceof Message.Ack a) {
                return a.piggyback().stream();
            } else if (m instanceof Message.Gossip g) {
                return g.rumors().stream();
            }
            return java.util.stream.Stream.<Rumor>empty();
        }).toList();
    }

    static long counter(SwimNode node, String key) {
        return node.counters().asMap().get(key);
    }
}
