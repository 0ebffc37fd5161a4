package dev.grapevine.runtime;

import dev.grapevine.core.front.ArteryStreamCheck;

/** Why the gossip port's front door closed a connection: each its counter and its kind of log line. */
enum FrontRefusal {
    LIMIT_TOTAL("limit-total", "front_refused_conn_limit", "gossip-port connections refused",
            "over grapevine.front.connections-max"),
    LIMIT_PER_IP("limit-per-ip", "front_refused_ip_limit", "gossip-port connections refused",
            "over grapevine.front.connections-per-ip-max from one address"),
    FIRST_BYTES_TIMEOUT("first-bytes-timeout", "front_closed_first_bytes_timeout", "gossip-port connections closed",
            "no connection header within grapevine.front.first-bytes-timeout"),
    IDLE("idle", "front_closed_idle", "gossip-port connections closed",
            "no bytes either way for grapevine.front.idle-timeout"),
    PLAINTEXT("plaintext", "front_refused_plaintext", "gossip-port connections refused",
            "the peer does not speak TLS, and this node's gossip port requires it"),
    BAD_MAGIC("bad-magic", "front_refused_bad_magic", "gossip-port connections refused",
            "not an Artery connection header (magic and stream id)"),
    BAD_FRAME("bad-frame", "front_refused_bad_frame", "gossip-port connections refused",
            "a frame length outside 1..the maximum frame size"),
    ACCEPT_FAILED("accept-failed", "front_accept_failed", "gossip-port accepts failed",
            "the operating system refused a new connection (out of file descriptors, say); accepting pauses for a tick");

    final String kind;
    final String counter;
    final String what;
    final String why;

    FrontRefusal(String kind, String counter, String what, String why) {
        this.kind = kind;
        this.counter = counter;
        this.what = what;
        this.why = why;
    }

    static FrontRefusal of(ArteryStreamCheck.Verdict verdict) {
        return switch (verdict) {
            case PLAINTEXT -> PLAINTEXT;
            case BAD_MAGIC -> BAD_MAGIC;
            case BAD_FRAME -> BAD_FRAME;
            case OK -> throw new IllegalArgumentException("not a refusal: " + verdict);
        };
    }
}
