package dev.grapevine.sim;

/**
 * What the data path of the recovery scenarios does: client writes (and as many reads) per second,
 * whether the network splits and heals periodically, whether nodes leave, and the partition mode.
 *
 * @param writesPerSecond client writes per simulated second, 0 for none (the data path off), at most 10,000
 * @param partitions      split the network about 60|40 for {@value #SPLIT_MILLIS} ms every {@value #SPLIT_EVERY_MILLIS} ms
 * @param leaves          a node leaves gracefully now and then, and never comes back
 */
public record DataSpec(double writesPerSecond, boolean partitions, boolean leaves, PartitionMode mode) {
    public static final double WRITES_PER_SECOND_DEFAULT = 50;
    public static final long SPLIT_MILLIS = 20_000;
    public static final long SPLIT_EVERY_MILLIS = 45_000;
    public static final DataSpec DEFAULT = new DataSpec(WRITES_PER_SECOND_DEFAULT, false, false, PartitionMode.AVAILABLE);

    public DataSpec {
        if (!(writesPerSecond >= 0 && writesPerSecond <= 10_000)) {
            throw new IllegalArgumentException("--writes-per-second must be in 0..10000, but was " + writesPerSecond);
        }
        if (mode == null) {
            mode = PartitionMode.AVAILABLE;
        }
    }

    /** The flags that give this spec, for a reproduce line; empty for the default. */
    String flags() {
        StringBuilder b = new StringBuilder();
        if (writesPerSecond != WRITES_PER_SECOND_DEFAULT) {
            b.append(" --writes-per-second ").append(writesPerSecond);
        }
        if (partitions) {
            b.append(" --partitions");
        }
        if (leaves) {
            b.append(" --leaves");
        }
        if (mode != PartitionMode.AVAILABLE) {
            b.append(" --partition-mode ").append(mode.id());
        }
        return b.toString();
    }
}
