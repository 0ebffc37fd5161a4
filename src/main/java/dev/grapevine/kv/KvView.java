package dev.grapevine.kv;

import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.PartitionMap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the key-value actor knows of the cluster: the current ownership and the members' endpoints,
 * statuses and system names. Kept outside the actor so that a life restarted after a failure starts
 * from it: it neither refuses requests for want of an epoch nor drops owners' replica writes as from
 * strangers while its subscriptions replay the cluster to it. (Concurrent maps: a restarted actor may
 * run on another thread.)
 */
final class KvView {
    final Map<String, String> addresses = new ConcurrentHashMap<>();
    final Map<String, MemberStatus> statuses = new ConcurrentHashMap<>();
    final Map<String, String> systems = new ConcurrentHashMap<>();
    volatile PartitionMap map;
}
