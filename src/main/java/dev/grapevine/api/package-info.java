/**
 * Everything an application, a domain or the operator tools need of Grapevine: the one package they
 * import (with {@link dev.grapevine.spi} for a domain whose data Grapevine recovers).
 *
 * <ul>
 *   <li>{@link dev.grapevine.api.NodeBootstrap}: before the actor system exists, the Pekko settings a
 *       node needs (remoting on Artery, its tuning, the TLS transport {@code grapevine.tls} asks for),
 *       and the {@code grapevine.*} settings read and checked once ({@link dev.grapevine.api.NodeConfig}).</li>
 *   <li>{@link dev.grapevine.api.Grapevine}: the node of an actor system, started by
 *       {@code Grapevine.get(system)}; the view ({@link dev.grapevine.api.Member}), membership and user
 *       events, tags, joining and leaving, recovery and ownership
 *       ({@link dev.grapevine.api.OwnershipChanged}, {@link dev.grapevine.api.RecoveryStatus}), metrics
 *       and traffic. Every method is thread-safe and never blocks: answers are
 *       {@link java.util.concurrent.CompletionStage}s or messages to subscribed actors.</li>
 *   <li>The values it hands out: immutable records, in a stable order.</li>
 * </ul>
 *
 * <p>Layering: this package uses {@code dev.grapevine.runtime} only through its one public facade,
 * {@code NodeHandle}; the actors and their messages are the runtime's own. The runtime never uses
 * this package: what it needs of the user lives in {@link dev.grapevine.spi}, below it. Tests
 * ({@code LayerRulesTest}) hold these rules.
 */
package dev.grapevine.api;
