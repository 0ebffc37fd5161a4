/**
 * What the runtime needs from the user, in a package below both the runtime and the api, so that no
 * dependency points back up.
 *
 * <ul>
 *   <li>{@link dev.grapevine.spi.Recoverable}: what a domain implements so that Grapevine repairs its
 *       data between the owners of each partition (digests, entries, merge, drop), with
 *       {@link dev.grapevine.spi.RecoveryEntry} and the load it reports, {@link dev.grapevine.spi.StoreLoad}.
 *       Register one with {@code Grapevine.registerRecoverable}.</li>
 *   <li>{@link dev.grapevine.spi.ConfigProblems} and {@link dev.grapevine.spi.InvalidConfigException}:
 *       how every config section (the node's, a domain's, the admin API's) reports its problems, so
 *       that a bad config stops a node with one message naming every one of them.</li>
 * </ul>
 *
 * <p>It depends only on the core and the JDK (and the config library for the problems).
 */
package dev.grapevine.spi;
