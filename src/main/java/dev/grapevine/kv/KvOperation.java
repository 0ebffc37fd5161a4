package dev.grapevine.kv;

import java.util.Locale;

/** The requests a client makes of the store, as metrics name them. */
public enum KvOperation {
    GET, PUT, DELETE;

    /** {@code get}, {@code put}, {@code delete}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Told how long each request took, from the call until its answer (or failure) came. */
    @FunctionalInterface
    public interface LatencyObserver {
        /** Called on the thread that completes the request: must not block. */
        void observe(KvOperation operation, long nanos);
    }
}
