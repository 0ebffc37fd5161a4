package dev.grapevine.bench;

/** A scenario that could not be measured (a deadline missed, a node that exited); the message says why. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }
}
