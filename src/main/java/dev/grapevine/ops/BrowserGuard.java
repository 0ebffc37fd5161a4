package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Refuses what a web page open in an operator's browser could make that browser send to the admin
 * API: a cross-site form or fetch that leaves the cluster or writes a key (the dashboard's cookie, or
 * no token at all on loopback, would otherwise let it through), and, on a loopback API with no token,
 * a request for a host name that is not loopback (DNS rebinding: a hostile name that resolves to
 * 127.0.0.1 would make its pages same-origin with this API and let them read it).
 *
 * <p>The CLI, curl and Prometheus send no {@code Origin} and name the address they dial, so they
 * never meet these rules.
 */
final class BrowserGuard {
    private final boolean tokenless;
    private final String boundHost;

    /**
     * @param tokenless true when the API has no token (it is then bound to loopback)
     * @param boundHost the name or address it was told to listen on, which its own clients dial
     */
    BrowserGuard(boolean tokenless, String boundHost) {
        this.tokenless = tokenless;
        this.boundHost = boundHost;
    }

    /** Why this request is refused, or null if it may go on. */
    String refusal(HttpExchange exchange, HttpCall call) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (tokenless && host != null && !loopbackName(hostPart(host)) && !hostPart(host).equalsIgnoreCase(boundHost)) {
            return "this admin API has no token and answers only to loopback names (localhost, 127.0.0.1, [::1]), "
                    + "not to Host " + host;
        }
        boolean write = !call.method().equals("GET") && !call.method().equals("HEAD");
        if (!write) {
            return null; // a cross-site page cannot read the answer: no CORS header is ever sent
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            return sameOrigin(origin, host) ? null
                    : "cross-site request refused: Origin " + origin + " is not this admin API (Host " + host + ")";
        }
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            return "cross-site request refused: the browser says it came from another site (Sec-Fetch-Site: " + site + ")";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false; // a sandboxed frame or a file: page says "null"
        }
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (URISyntaxException malformed) {
            return false;
        }
    }

    /** The host of a Host header: {@code [::1]:8080} gives {@code ::1}, {@code a:80} gives {@code a}. */
    static String hostPart(String host) {
        String h = host.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    static boolean loopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        // 127.0.0.0/8 as a dotted quad; a name that merely starts with "127." is not an address.
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
