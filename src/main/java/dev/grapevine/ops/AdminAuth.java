package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The admin API's door when it has a token: a request passes with {@code Authorization: Bearer
 * TOKEN}, or, from the dashboard in a browser (which cannot add a header to an EventSource), with the
 * HttpOnly, SameSite=Strict cookie its login form sets. The token never goes in a URL, where logs and
 * browser history would keep it. The health probes stay open (the kubelet and Docker call them with no
 * header), and so does {@code /metrics} unless {@code grapevine.admin.metrics-open = false}.
 */
final class AdminAuth {
    static final String COOKIE = "grapevine_admin";
    static final String NEEDS_TOKEN = "this agent's admin API needs a token: pass --token-file FILE or set GRAPEVINE_TOKEN";
    private static final String LOGIN_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    private final AdminSecurity security;
    private final boolean secureCookie;

    AdminAuth(AdminSecurity security) {
        this.security = security;
        this.secureCookie = security.tls() != null;
    }

    /**
     * The answer for a call that may not pass, or for the login form's own routes; null if the call
     * goes on to the routes.
     */
    HttpReply check(HttpExchange exchange, HttpCall call) {
        if (security.token() == null || open(call)) {
            return null;
        }
        if (call.is("ui", "login")) {
            return null; // the form itself: its answer is login()'s, once its body is read
        }
        if (security.token().matches(presented(exchange))) {
            return null;
        }
        if (call.method().equals("GET") && UiHttp.owns(call) && !call.is("ui", "events")) {
            return redirect("/ui/login");
        }
        return new HttpReply(401, new HttpBytes(Map.of("Content-Type", "application/json",
                "WWW-Authenticate", "Bearer realm=\"grapevine\""), Json.write(Map.of("error", NEEDS_TOKEN))
                .getBytes(StandardCharsets.UTF_8)));
    }

    private boolean open(HttpCall call) {
        boolean read = call.method().equals("GET") || call.method().equals("HEAD");
        return read && (call.is("health", "live") || call.is("health", "ready") || (security.metricsOpen() && call.is("metrics")));
    }

    /** The bearer token, else the dashboard's cookie, else null. */
    private static String presented(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (String header : cookies) {
                for (String pair : header.split(";")) {
                    String p = pair.strip();
                    if (p.startsWith(COOKIE + "=")) {
                        try {
                            return URLDecoder.decode(p.substring(COOKIE.length() + 1), StandardCharsets.UTF_8);
                        } catch (IllegalArgumentException malformed) {
                            return null; // a cookie this agent never set: no token presented
                        }
                    }
                }
            }
        }
        return null;
    }

    /** GET: the form; POST {@code token=...}: the cookie and back to the dashboard, or the form again. */
    HttpReply login(HttpCall call) {
        if (security.token() == null) {
            return HttpReply.error(404, "this agent's admin API has no token; open /ui/ directly");
        }
        if (call.method().equals("POST")) {
            byte[] body = AdminHttp.body(call);
            String token = body == null ? null : formToken(new String(body, StandardCharsets.UTF_8));
            if (token != null && security.token().matches(token)) {
                String cookie = COOKIE + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "; Path=/; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : "");
                return new HttpReply(303, new HttpBytes(Map.of("Content-Type", "text/plain; charset=utf-8",
                        "Location", "/ui/", "Set-Cookie", cookie), new byte[0]));
            }
            return loginPage(401, "That is not this agent's token.");
        }
        if (!call.method().equals("GET")) {
            return HttpReply.error(405, call.method() + " is not allowed here; use GET or POST");
        }
        return loginPage(200, "");
    }

    private static String formToken(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).strip();
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    private static HttpReply loginPage(int status, String problem) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grapevine: sign in</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:28rem}input{width:100%;padding:.4rem}</style>"
                + "</head><body><h1>Grapevine</h1><p>This agent's admin API needs its token.</p>"
                + (problem.isEmpty() ? "" : "<p role=\"alert\"><strong>" + problem + "</strong></p>")
                + "<form method=\"post\" action=\"/ui/login\"><label>Token <input type=\"password\" name=\"token\" "
                + "autocomplete=\"current-password\" required autofocus></label><p><button type=\"submit\">Sign in</button></p>"
                + "</form></body></html>";
        return new HttpReply(status, new HttpBytes(Map.of("Content-Type", "text/html; charset=utf-8",
                "Content-Security-Policy", LOGIN_CSP, "Cache-Control", "no-store"), html.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpReply redirect(String to) {
        return new HttpReply(303, new HttpBytes(Map.of("Content-Type", "text/plain; charset=utf-8", "Location", to), new byte[0]));
    }
}
