package dev.grapevine.runtime;

import dev.grapevine.core.repair.ExchangeEntry;
import dev.grapevine.core.repair.ExchangeStore;
import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/** One partition of a registered {@link Recoverable}, as the exchange machines read and merge it. */
final class RecoverableExchangeStore implements ExchangeStore {
    private final Recoverable domain;
    private final int partition;

    RecoverableExchangeStore(Recoverable domain, int partition) {
        this.domain = domain;
        this.partition = partition;
    }

    @Override
    public SortedMap<String, Long> digests(String afterKey, int maxKeys) {
        return domain.digests(partition, afterKey, maxKeys);
    }

    @Override
    public List<ExchangeEntry> entries(String afterKey, int maxBytes) {
        return toCore(domain.entries(partition, afterKey, maxBytes));
    }

    @Override
    public List<ExchangeEntry> entriesOf(List<String> keys) {
        return toCore(domain.entriesOf(partition, keys));
    }

    @Override
    public int apply(List<ExchangeEntry> entries) {
        return domain.apply(partition, toSpi(entries));
    }

    static List<ExchangeEntry> toCore(List<RecoveryEntry> entries) {
        if (entries == null) {
            return null;
        }
        List<ExchangeEntry> out = new ArrayList<>(entries.size());
        for (RecoveryEntry e : entries) {
            out.add(e == null ? null : new ExchangeEntry(e.key(), e.value()));
        }
        return out;
    }

    static List<RecoveryEntry> toSpi(List<ExchangeEntry> entries) {
        if (entries == null) {
            return null;
        }
        List<RecoveryEntry> out = new ArrayList<>(entries.size());
        for (ExchangeEntry e : entries) {
            out.add(e == null ? null : new RecoveryEntry(e.key(), e.value()));
        }
        return out;
    }
}
