package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;

import java.util.List;
import java.util.Map;

/**
 * What the harness needs from each system it measures: how to start node i, whether it answers,
 * what it lists, how to send a user event, and a tap that reports its verdicts and received events.
 * Nodes are numbered from 1; node i is named "n" + i, and every node joins node 1.
 */
interface SystemUnderTest {
    String name();

    /** The command line of node i; the harness adds nothing to it. */
    List<String> command(int node);

    /**
     * The command line of one process running all the given nodes (the first is started first), or
     * null for a system that runs only a process per node.
     */
    default List<String> sharedCommand(List<Integer> nodes) {
        return null;
    }

    /** Whether node i's admin API (or RPC) answers. */
    boolean answers(int node);

    /** Member name → status word, as node i lists them; empty when it does not answer. */
    Map<String, String> statuses(int node);

    /** The status word of a member that is fully in: "alive" (Grapevine, Serf), "up" (Pekko). */
    default String aliveWord() {
        return "alive";
    }

    void sendEvent(String name);

    /** Recovery epochs node i has started since it started, or null: a system without recovery, or no answer. */
    default Long recoveryEpochsStarted(int node) {
        return null;
    }

    /** Starts reporting node i's verdicts and received user events to {@code into}, stamped on arrival. */
    Tap tap(int node, Observations into);

    /** The settings this system runs with, for the record. */
    ObjectNode settings();

    /** A running source of observations; closing it stops its thread or process. */
    interface Tap extends AutoCloseable {
        @Override
        void close();
    }

    static String nodeName(int node) {
        return "n" + node;
    }

    /** Name → status from a {"members":[{"name","status"}]} body, the shape all three list members in. */
    static Map<String, String> statusesOf(JsonNode body) {
        Map<String, String> out = new HashMap<>();
        if (body != null) body.path("members").forEach(m -> out.put(m.path("name").asText(), m.path("status").asText()));
        return out;
    }
}
