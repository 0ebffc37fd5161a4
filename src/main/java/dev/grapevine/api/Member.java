package dev.grapevine.api;

import java.util.Map;

/**
 * A member of the cluster as this node sees it.
 *
 * @param address     its Artery endpoint, {@code host:port}
 * @param epoch       which life of the name this is: a restarted node has a higher one
 * @param incarnation raised by the member itself to refute suspicion or to publish new tags
 */
public record Member(String name, String address, MemberStatus status, long epoch, long incarnation,
                     Map<String, String> tags) {

    public Member {
        tags = Map.copyOf(tags);
    }

    /**
     * The name of the actor system the member runs in, as it gossips it (the reserved tag
     * {@code grapevine.system}): its actors are at {@code pekko://<system>@<address>/...}. Empty for a
     * member that does not say it; see {@link Names#DEFAULT_SYSTEM_NAME} then.
     */
    public java.util.Optional<String> systemName() {
        return java.util.Optional.ofNullable(dev.grapevine.core.node.SystemNameTag.of(tags));
    }

    static Member of(dev.grapevine.core.member.Member m) {
        return new Member(m.name(), m.address().toString(), MemberStatus.valueOf(m.status().name()), m.epoch(),
                m.incarnation(), m.tags());
    }
}
