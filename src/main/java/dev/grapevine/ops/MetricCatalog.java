package dev.grapevine.ops;

import java.util.List;

/**
 * Every figure a node publishes ({@link dev.grapevine.api.Grapevine#metrics()}, and the store's
 * {@link dev.grapevine.kv.KvService#metrics()}), with its Prometheus type and meaning. A figure that
 * only grows is a counter ({@code grapevine_<key>_total}); one that goes up and down is a gauge
 * ({@code grapevine_<key>}). A test checks that every published figure is listed here.
 */
final class MetricCatalog {
    private MetricCatalog() {
    }

    /** @param kv the store's, present only on a node that runs it */
    record Figure(String key, boolean counter, boolean kv, String help) {
    }

    private static Figure counter(String key, String help) {
        return new Figure(key, true, false, help);
    }

    private static Figure gauge(String key, String help) {
        return new Figure(key, false, false, help);
    }

    private static Figure kvCounter(String key, String help) {
        return new Figure(key, true, true, help);
    }

    static final List<Figure> FIGURES = List.of(
            // failure detection
            counter("probes", "Direct probes (pings) this node sent"),
            counter("probes_failed", "Probe rounds that ended without an ack, direct or relayed"),
            counter("indirect_probes", "Probe rounds that asked other members to relay a ping (ping-req)"),
            counter("acks_received", "Acks that reached this node's failure detector, late ones included"),
            counter("nacks_received", "Nacks from relays that got no ack from the target (Lifeguard)"),
            counter("stale_acks", "Acks that came after their probe had concluded"),
            counter("misdirected_pings", "Pings for a member that no longer lives at this address"),
            counter("relays_refused", "Ping-req relays refused because too many were open"),
            gauge("relays_open", "Ping-req relays this node runs for others now"),
            gauge("local_health_score", "Lifeguard local health: 0 is healthy; higher stretches this node's timeouts"),
            counter("checks", "Suspects this node checked out of turn as one of their observers (corroborated suspicion)"),
            counter("checks_failed", "Checks of suspects that got no ack: each makes this node one more accuser"),
            counter("checks_over_bound", "Checks of suspects not started because 16 were in flight"),
            gauge("checks_open", "Checks of suspects in flight now"),
            counter("accusations_withheld", "Failed probes, checks and deaths this node did not report because its local health was poor"),
            counter("refutations_deferred", "Suspicions of this node it held off refuting because it had heard no one lately"),
            counter("rejoins_held", "Verdicts of this node's death it held off refuting because it had heard no one lately"),
            // membership
            gauge("members_known", "Members in this node's view, dead and left ones included"),
            gauge("members_live", "Members this node sees alive or suspect"),
            counter("suspicions_raised", "Times this node marked an alive member suspect"),
            gauge("suspicions_open", "Suspicions not yet refuted or confirmed"),
            counter("refutations", "Times this node refuted a suspicion of itself"),
            counter("deaths_declared", "Members this node declared dead"),
            counter("deaths_by_quorum", "Of the deaths this node declared, those a quorum of accusers decided before Lifeguard's timeout"),
            // mutual TLS between nodes (only with grapevine.tls on)
            counter("tls_refused_untrusted_ca", "TLS handshakes refused: the peer's certificate is not from this node's CA"),
            counter("tls_refused_wrong_name", "TLS handshakes refused: the certificate names no node, or another member than the view has at that address"),
            counter("tls_refused_revoked", "TLS handshakes refused: the peer's certificate is on the deny list"),
            counter("identity_refused", "Peer messages dropped: the sender claimed a name its certificate does not carry, or its certificate is revoked"),
            counter("data_dir_write_failures", "Writes to the data dir its disk refused (full, read-only): epoch, peers, tags, recovery"),
            counter("identity_conflicts", "Claims of a later life of this node's name that it could not refute"),
            counter("claims_refused", "Implausible claims about members refused: far-future epoch, incarnation jump, address moved within a life"),
            counter("rumors_from_strangers", "Claims about live members dropped because their sender is not a live member"),
            counter("dead_reaped_over_bound", "Dead members forgotten early because the view was at its bound"),
            counter("reconnect_attempts", "Attempts to reach dead members and seeds, so partitions heal"),
            counter("discovery_lookups", "DNS lookups of grapevine.discovery.dns-name"),
            counter("discovery_lookup_failures", "DNS discovery lookups that failed or timed out"),
            counter("discovery_lookups_skipped", "DNS discovery rounds skipped because the last one still ran"),
            counter("discovery_joins", "Addresses found in DNS that this node asked to join"),
            counter("discovery_addresses_dropped", "Addresses of a DNS answer over grapevine.discovery.addresses-max"),
            counter("join_requests_refused", "Join requests answered at once because 16 already waited for an answer"),
            counter("force_leaves", "Dead or suspect members this node removed as left (grapevine force-leave)"),
            counter("foreign_cluster_refused", "Messages from nodes of another cluster (grapevine.cluster-name), dropped unread"),
            counter("joins_refused_by_foreign_cluster", "Joins of this node that a node of another cluster refused"),
            // dissemination
            counter("gossip_messages", "Gossip messages sent"),
            counter("direct_sends", "User events sent directly to each member (small clusters)"),
            counter("direct_events_not_gossiped", "Directly received user events not gossiped again"),
            gauge("broadcasts_queued", "Rumors in the broadcast queue"),
            counter("broadcasts_dropped", "Rumors dropped because the broadcast queue was full"),
            counter("broadcasts_retired_early", "Rumors retired before their transmit limit: every member had them"),
            counter("rumors_too_large", "Rumors refused because they exceed the message size bound"),
            counter("push_pulls", "Push-pull anti-entropy exchanges with whole views"),
            counter("view_digests_sent", "Push-pull digests sent"),
            counter("view_digests_alike", "Push-pull digests that matched, so no view was sent"),
            counter("progress_refused", "Recovery progress words refused from members outside the epoch"),
            counter("progress_too_large", "Recovery progress words too large to gossip"),
            counter("app_state_refused", "Application state values refused: unknown member, earlier life, or too many keys"),
            counter("app_state_left_out", "Application state values left out of a push-pull by its byte bound"),
            // user events
            counter("user_events_duplicate", "User events received again and ignored"),
            counter("user_events_too_old", "User events older than the dedup window, ignored"),
            counter("user_events_forgotten_early", "User events forgotten before their time: the log was full"),
            counter("clocks_refused", "Lamport times refused as implausibly far ahead"),
            gauge("event_clock", "This node's user-event Lamport time"),
            // transport
            counter("peer_sends_by_uid", "Messages sent to a peer actor by path and uid (compressible)"),
            counter("peer_sends_by_path", "Messages sent to a peer actor by bare path (uid not known yet)"),
            gauge("peer_uids_known", "Peer actors whose uid this node knows"),
            // the gossip port's front door (grapevine.front)
            gauge("front_connections_open", "Connections open at the gossip port's front door"),
            counter("front_refused_conn_limit", "Gossip-port connections refused: grapevine.front.connections-max were open"),
            counter("front_refused_ip_limit", "Gossip-port connections refused: grapevine.front.connections-per-ip-max were open from that address"),
            counter("front_closed_first_bytes_timeout", "Gossip-port connections closed: no header within grapevine.front.first-bytes-timeout"),
            counter("front_closed_idle", "Gossip-port connections closed: no bytes either way for grapevine.front.idle-timeout"),
            counter("front_refused_plaintext", "Gossip-port connections refused: plaintext on a TLS port"),
            counter("front_refused_bad_magic", "Gossip-port connections refused: not an Artery connection header"),
            counter("front_refused_bad_frame", "Gossip-port connections closed: a frame length outside 1..the maximum frame size"),
            counter("front_accept_failed", "Gossip-port connections the operating system failed to accept (out of file descriptors, say)"),
            // repair
            counter("repair_exchanges", "Merkle repair exchanges this node started"),
            counter("repair_exchanges_failed", "Merkle repair exchanges that failed"),
            counter("repair_domains_in_sync", "Domain partitions found in sync by their Merkle roots"),
            counter("repair_hash_bytes", "Bytes of tree nodes asked for and hashes received"),
            counter("repair_entry_bytes", "Bytes of keys and values pushed and pulled by the repair exchanges this node started"),
            counter("repair_entries_sent", "Entries the repair exchanges this node started pushed to peers"),
            counter("repair_entries_received", "Entries the repair exchanges this node started pulled from peers"),
            counter("repair_entries_applied", "Entries the repair exchanges this node started moved that changed the data of either side"),
            counter("repair_served_requests", "Requests of peers' repair exchanges this node answered, refusals included"),
            counter("repair_served_entries_received", "Entries peers' repair exchanges pushed to this node"),
            counter("repair_served_entries_applied", "Entries peers' repair exchanges pushed to this node that changed its data"),
            counter("repair_served_entries_sent", "Entries this node served to peers' repair exchanges that pulled them"),
            counter("repair_served_entry_bytes", "Bytes of keys and values peers' repair exchanges pushed to this node and pulled from it"),
            counter("repair_requests_from_strangers", "Repair requests dropped because their sender is not a live member"),
            counter("handoff_partitions_dropped", "Partitions no longer owned here, handed to every owner and dropped"),
            counter("handoff_partitions_kept", "Hand-offs that kept their partition here for the next round (failed exchange, new epoch...)"),
            counter("decommissions_handed_off", "Leaves that handed every partition and hint to the owners without this node"),
            counter("decommission_timeouts", "Leaves that went on after grapevine.recovery.decommission-timeout with data still held"),
            counter("repair_requests_resent", "Repair requests sent again after no answer within their share of the request timeout"),
            counter("repair_replies_stale", "Repair replies ignored because they answered no request outstanding (late or duplicated)"),
            // key-value store
            kvCounter("kv_writes", "Writes (puts and deletes) this node coordinated"),
            kvCounter("kv_writes_failed", "Coordinated writes that missed their quorum"),
            kvCounter("kv_writes_unstored", "Replica writes this node's disk refused (full, read-only); not acknowledged"),
            kvCounter("kv_writes_refused_minority", "Writes refused because this node sees no majority of the last majority epoch (kv.partition-mode = majority); answered 503"),
            kvCounter("kv_reads", "Reads this node coordinated"),
            kvCounter("kv_reads_failed", "Coordinated reads that missed their quorum"),
            kvCounter("kv_read_repairs", "Stale replicas fixed by read repair"),
            kvCounter("kv_hints_stored", "Hints stored for replicas that did not ack a write"),
            kvCounter("kv_hints_replayed", "Hints delivered to their replica"),
            kvCounter("kv_hints_expired", "Hints dropped after the hint window"),
            kvCounter("kv_hints_dropped", "Hints dropped because the hint store was full"),
            kvCounter("kv_hints_dropped_left", "Hints dropped because their replica left the cluster"),
            kvCounter("kv_replica_messages_from_strangers", "Replica writes and reads dropped because their sender is not a live member"),
            kvCounter("kv_tombstones_purged", "Tombstones purged after gc-grace, once a repair proven complete everywhere covered them"),
            kvCounter("kv_stale_keys_dropped", "Keys dropped at start: this node was last proven repaired longer ago than gc-grace allows"),
            new Figure("kv_hints_pending", false, true, "Hints waiting for their replica"),
            new Figure("kv_disk_unwritable", false, true, "1 while this node's disk refuses the key-value store's commits (full, read-only); its writes are refused with 507"));
}
