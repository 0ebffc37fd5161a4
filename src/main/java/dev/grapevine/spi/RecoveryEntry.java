package dev.grapevine.spi;

import java.util.Arrays;

/** One entry of a partition as a domain encodes it: its key, and its version and value in the domain's own bytes. */
public record RecoveryEntry(String key, byte[] value) {
    public RecoveryEntry {
        if (key == null || value == null) {
            throw new IllegalArgumentException("an entry needs a key and a value");
        }
    }

    /** Key and value bytes: what an exchange of this entry costs, before framing. */
    public int sizeBytes() {
        return dev.grapevine.core.member.Utf8.length(key) + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecoveryEntry e && key.equals(e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RecoveryEntry[" + key + ", " + value.length + " bytes]";
    }
}
