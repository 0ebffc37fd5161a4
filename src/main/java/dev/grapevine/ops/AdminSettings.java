package dev.grapevine.ops;

import com.typesafe.config.Config;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.core.member.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The admin API's guard from {@code grapevine.admin}: {@code token-file}, {@code metrics-open},
 * {@code tls-dir}. An admin API on an address other hosts reach must have a token: it can make the
 * node leave, and write to its store.
 */
final class AdminSettings {
    static final String TOKEN_FILE = "grapevine.admin.token-file";
    static final String METRICS_OPEN = "grapevine.admin.metrics-open";
    static final String TLS_DIR = "grapevine.admin.tls-dir";

    private AdminSettings() {
    }

    /** The guard, or null with the problems added (nothing read may then be used). */
    static AdminSecurity read(Config config, Address admin, ConfigProblems problems) {
        AdminToken token = null;
        String tokenFile = optional(config, TOKEN_FILE);
        if (tokenFile != null) {
            try {
                token = AdminToken.read(Path.of(tokenFile), "the admin token file");
            } catch (IllegalArgumentException e) {
                problems.add(TOKEN_FILE + ": " + e.getMessage());
                return null;
            }
        }
        boolean metricsOpen = problems.bool(config, METRICS_OPEN);
        javax.net.ssl.SSLContext tls = null;
        String tlsDir = optional(config, TLS_DIR);
        if (tlsDir != null) {
            try {
                tls = AdminTls.server(Path.of(tlsDir));
            } catch (IllegalArgumentException e) {
                problems.add(TLS_DIR + ": " + e.getMessage());
            }
        }
        if (token == null && admin != null && !loopback(admin.host())) {
            problems.add("the admin API would listen on " + admin + ", which other hosts reach, without a token: "
                    + "pass --admin-token-file FILE (or set " + TOKEN_FILE + "), or listen on 127.0.0.1");
        }
        return new AdminSecurity(token, metricsOpen, tls);
    }

    private static String optional(Config config, String path) {
        if (!config.hasPath(path)) {
            return null;
        }
        String value = config.getString(path).strip();
        return value.isEmpty() ? null : value;
    }

    /** True if {@code host} is only this machine's: 127.0.0.0/8, ::1, or a name that resolves there. */
    static boolean loopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return true; // the bind fails on its own, with its own message
        }
    }
}
