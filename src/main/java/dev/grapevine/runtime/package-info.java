/**
 * One node as Pekko typed actors: the guardian and one actor per core component, which feed it
 * messages and timer ticks and execute the effects it returns, the serializer of the core's wire
 * format, TLS, discovery, the data dir and the reading of {@code grapevine.*}.
 *
 * <p>Its one public entrance is {@link dev.grapevine.runtime.NodeHandle}, which {@code dev.grapevine.api}
 * uses; the other public classes are the settings records and what Pekko loads by name from the
 * config (serializer, scheduler, TLS engine provider, remote instrument) or serializes
 * ({@code RepairMessage}). It depends on core, spi and log, never on the api or anything above.
 */
package dev.grapevine.runtime;
