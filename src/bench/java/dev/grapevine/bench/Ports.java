package dev.grapevine.bench;

/** Two ports per node: gossip (Artery, memberlist) at base + 2i, admin HTTP or Serf RPC at base + 2i + 1. */
record Ports(int base) {
    int gossip(int node) {
        return base + 2 * node;
    }

    int admin(int node) {
        return base + 2 * node + 1;
    }

    String gossipAddress(int node) {
        return "127.0.0.1:" + gossip(node);
    }

    String adminAddress(int node) {
        return "127.0.0.1:" + admin(node);
    }
}
