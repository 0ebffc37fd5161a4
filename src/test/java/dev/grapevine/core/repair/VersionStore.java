package dev.grapevine.core.repair;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory partition of key to version, last-version-wins; an entry's value is its version's
 * 8 bytes plus {@code padBytes} of padding. Counts what is read of it.
 */
final class VersionStore implements ExchangeStore {
    final TreeMap<String, Long> versions = new TreeMap<>();
    private final int padBytes;
    long digestsRead;
    long digestCalls;
    long entriesRead;
    RuntimeException failure;

    VersionStore() {
        this(0);
    }

    VersionStore(int padBytes) {
        this.padBytes = padBytes;
    }

    static long digest(long version) {
        return version * 0x9E3779B97F4A7C15L + 1;
    }

    ExchangeEntry entry(String key, long version) {
        return new ExchangeEntry(key, ByteBuffer.allocate(8 + padBytes).putLong(version).array());
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public SortedMap<String, Long> digests(String afterKey, int maxKeys) {
        check();
        digestCalls++;
        SortedMap<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, Long> e : (afterKey == null ? versions : versions.tailMap(afterKey, false)).entrySet()) {
            if (out.size() == maxKeys) {
                break;
            }
            out.put(e.getKey(), digest(e.getValue()));
        }
        digestsRead += out.size();
        return out;
    }

    @Override
    public List<ExchangeEntry> entries(String afterKey, int maxBytes) {
        check();
        List<ExchangeEntry> out = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<String, Long> e : (afterKey == null ? versions : versions.tailMap(afterKey, false)).entrySet()) {
            ExchangeEntry entry = entry(e.getKey(), e.getValue());
            if (!out.isEmpty() && bytes + entry.sizeBytes() > maxBytes) {
                break;
            }
            out.add(entry);
            bytes += entry.sizeBytes();
        }
        entriesRead += out.size();
        return out;
    }

    @Override
    public List<ExchangeEntry> entriesOf(List<String> keys) {
        check();
        List<ExchangeEntry> out = new ArrayList<>();
        for (String k : keys) {
            Long v = versions.get(k);
            if (v != null) {
                out.add(entry(k, v));
            }
        }
        entriesRead += out.size();
        return out;
    }

    @Override
    public int apply(List<ExchangeEntry> entries) {
        check();
        int changed = 0;
        for (ExchangeEntry e : entries) {
            long v = ByteBuffer.wrap(e.value()).getLong();
            Long before = versions.get(e.key());
            if (before == null || before < v) {
                versions.put(e.key(), v);
                changed++;
            }
        }
        return changed;
    }
}
