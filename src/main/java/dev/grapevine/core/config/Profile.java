package dev.grapevine.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named starting points, after memberlist's {@code DefaultLANConfig}, {@code DefaultWANConfig} and
 * {@code DefaultLocalConfig}. Differences from memberlist: retransmits scale with log2 (see
 * {@link Settings#retransmitLimit}), reconnects to dead members never stop, and the gossip budget is
 * larger because Artery frames are not UDP datagrams.
 */
public enum Profile {
    /** One data centre: sub-millisecond to few-millisecond round trips. */
    LAN(Duration.ofSeconds(1), Duration.ofMillis(500), 3, Duration.ofMillis(200), 3, Duration.ofSeconds(30),
            4, 3, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofHours(24)),
    /** Across regions: round trips of tens to hundreds of milliseconds, more loss. */
    WAN(Duration.ofSeconds(5), Duration.ofSeconds(3), 3, Duration.ofMillis(500), 4, Duration.ofSeconds(60),
            6, 3, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofHours(24)),
    /** One host or a fast test network: quicker detection, less tolerance of pauses. */
    LOCAL(Duration.ofSeconds(1), Duration.ofMillis(200), 1, Duration.ofMillis(100), 3, Duration.ofSeconds(15),
            3, 2, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofHours(1));

    /**
     * Up to 32 other members (where memberlist's push-pull starts to scale down), a user event's sender
     * sends it to each directly: one hop, as Pekko's DistributedPubSub, for N − 1 small messages per
     * event. Gossip still carries it to any member the direct send missed.
     */
    private static final int USER_EVENT_DIRECT_MAX = 32;

    /**
     * Copies of a broadcast per member for a network that loses copies one at a time, as the
     * simulator's does: at 50 % loss, with one copy, a member of five missed a rumor until push-pull
     * in some runs; two keep that tail under a second. A node on Artery sends one
     * ({@code NodeSettings.ARTERY_GOSSIP_COPIES}).
     */
    public static final int GOSSIP_COPIES_MAX = 2;

    /**
     * Corroborated suspicion (docs/protocol.md): four members check a new suspect at once, and three
     * distinct members whose own probes failed declare it dead. Three, because one accuser may be the
     * slow one and two may share a bad path. At 10 % loss a check of a live member (a ping and three
     * ping-reqs at once) fails with a chance under 1 %, so two of three checks failing beside the first
     * accuser is a chance of about 2·10^-4 per suspicion, before the suspect's refutation even counts.
     * Four checkers leave one to spare when the first accuser is one of them or a checker is down.
     */
    private static final int CORROBORATORS = 4;
    private static final int SUSPICION_QUORUM = 3;
    /**
     * Lifeguard scores a node up by one for each nack it missed and each refutation it had to make:
     * 3 is one probe that heard from none of its three relays, the mark of a node that cannot hear.
     */
    private static final int ACCUSER_HEALTH_MAX = 2;
    /**
     * Longer than the 20 s good phases of a flip-flopping link, so a node that keeps losing its inbound
     * traffic stays out instead of rejoining between the cuts.
     */
    private static final long REJOIN_AFTER_DEAF_SECONDS = 30;

    private final Settings settings;

    Profile(Duration probeInterval, Duration probeTimeout, int indirectChecks, Duration gossipInterval, int fanout,
            Duration gossipToTheDead, int suspicionMult, int retransmitMult, Duration pushPullInterval,
            Duration reconnectInterval, Duration reapLeftAfter) {
        this.settings = new Settings(probeInterval, probeTimeout, indirectChecks, gossipInterval, fanout,
                gossipToTheDead, suspicionMult, 6, retransmitMult, pushPullInterval, 512, reconnectInterval, reapLeftAfter,
                8, 16 * 1024, 1024, 4096, 8 * 1024, USER_EVENT_DIRECT_MAX, 512, 1024, GOSSIP_COPIES_MAX,
                CORROBORATORS, SUSPICION_QUORUM, ACCUSER_HEALTH_MAX, Duration.ofSeconds(REJOIN_AFTER_DEAF_SECONDS));
    }

    public Settings settings() {
        return settings;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code lan}, {@code wan} or {@code local}, with an error that lists the choices. */
    public static Profile parse(String id) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", ")));
    }
}
