package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests the admin API turned away, counted, and logged at the 1st, 2nd, 4th, 8th... of each kind:
 * seen, without a line per request in a flood.
 */
final class AdminRefusals {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong bodyTimedOut = new AtomicLong();
    private final AtomicLong bodiesFull = new AtomicLong();
    private final AtomicLong crossSite = new AtomicLong();

    void crossSite(HttpExchange exchange, String why) {
        long n = crossSite.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("admin API: {} {} from {} refused, 403: {} ({} so far)", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRemoteAddress(), why, n);
        }
    }

    void unauthorized(HttpExchange exchange) {
        long n = unauthorized.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("admin API: {} {} from {} came without this agent's token; 401 ({} so far)",
                    exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRemoteAddress(), n);
        }
    }

    void bodyTimedOut(HttpExchange exchange, int secondsMax) {
        long n = bodyTimedOut.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("admin API: the body of {} {} from {} did not arrive within {} s, or its client went away; "
                    + "connection closed ({} so far)", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRemoteAddress(), secondsMax, n);
        }
    }

    void bodiesFull(int bodiesMax) {
        long n = bodiesFull.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("admin API: {} request bodies are being read already; a new request got 503 ({} so far)", bodiesMax, n);
        }
    }

    long unauthorized() {
        return unauthorized.get();
    }

    long bodyTimedOut() {
        return bodyTimedOut.get();
    }
}
