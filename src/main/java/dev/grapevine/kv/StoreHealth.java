package dev.grapevine.kv;

/**
 * Where the key-value actor says whether this node can hold its data: to recovery, through
 * {@link dev.grapevine.api.Grapevine#reportUnavailable} and {@link dev.grapevine.api.Grapevine#reportAvailable}.
 * Called from the actor, a transition at a time.
 */
interface StoreHealth {
    /** The store cannot make writes durable: its partitions count as pending until it can. */
    void unavailable(String reason);

    /** It can again: recovery repairs what it missed meanwhile. */
    void available();

    /** For tests that drive the actor alone. */
    StoreHealth NONE = new StoreHealth() {
        @Override
        public void unavailable(String reason) {
        }

        @Override
        public void available() {
        }
    };
}
