package dev.grapevine.core.repair;

import java.util.List;
import java.util.SortedMap;

/**
 * One partition of one domain, as both sides of an exchange read and merge it. Every read is a page
 * that starts after a key, so neither side ever scans the whole partition per page nor holds it whole.
 * Called synchronously from {@link ExchangeInitiator} and {@link ExchangeResponder}; a method that
 * throws a {@link RuntimeException} fails the exchange (initiator) or refuses the request (responder).
 *
 * <p>Keys compare as {@link String#compareTo}; a null {@code afterKey} means from the first key.
 */
public interface ExchangeStore {

    /**
     * Key to a 64-bit digest of its current version (deletion markers included) for the keys after
     * {@code afterKey}, in key order, at most {@code maxKeys}; fewer than {@code maxKeys} means the end.
     */
    SortedMap<String, Long> digests(String afterKey, int maxKeys);

    /**
     * The entries after {@code afterKey} in key order, together at most {@code maxBytes}
     * ({@link ExchangeEntry#sizeBytes()}) but at least one if any remain; empty means the end.
     */
    List<ExchangeEntry> entries(String afterKey, int maxBytes);

    /** The entries of those of {@code keys} (ascending) that are present, in key order. */
    List<ExchangeEntry> entriesOf(List<String> keys);

    /** Merges entries from the other side (idempotent, order-free); returns how many changed this side. */
    int apply(List<ExchangeEntry> entries);
}
