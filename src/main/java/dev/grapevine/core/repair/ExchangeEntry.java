package dev.grapevine.core.repair;

import dev.grapevine.core.member.Utf8;

import java.util.Arrays;

/** One entry of a partition as its domain encodes it: the key, and the version and value in the domain's own bytes. */
public record ExchangeEntry(String key, byte[] value) {
    public ExchangeEntry {
        if (key == null || value == null) {
            throw new IllegalArgumentException("an entry needs a key and a value");
        }
    }

    /** Key and value bytes: what moving this entry costs, before framing. */
    public int sizeBytes() {
        return Utf8.length(key) + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExchangeEntry e && key.equals(e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ExchangeEntry[" + key + ", " + value.length + " bytes]";
    }
}
