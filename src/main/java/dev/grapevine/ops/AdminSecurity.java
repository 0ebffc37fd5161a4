package dev.grapevine.ops;

import javax.net.ssl.SSLContext;

/**
 * How the admin API guards itself: the token every request needs (null: none, which only a loopback
 * address may go without), whether {@code /metrics} stays open without it, and TLS (null: plain HTTP).
 */
record AdminSecurity(AdminToken token, boolean metricsOpen, SSLContext tls) {
    /** No token, no TLS: the admin API on loopback, as in development. */
    static AdminSecurity open() {
        return new AdminSecurity(null, true, null);
    }
}
