package dev.grapevine.core.member;

import java.util.Objects;

/**
 * Where a member listens for protocol messages. The core never opens a socket: an address is a
 * routing key that the transport (Artery in a node, the simulated network in the simulator) resolves.
 */
public record Address(String host, int port) implements Comparable<Address> {

    /** Longest host name or literal we accept, in UTF-8 bytes (DNS names are at most 253). */
    public static final int HOST_BYTES_MAX = 255;

    public Address {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("address host must not be empty");
        }
        if (Utf8.length(host) > HOST_BYTES_MAX) {
            throw new IllegalArgumentException("address host is longer than " + HOST_BYTES_MAX + " bytes: " + host);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("address port must be in 1..65535, but was " + port);
        }
    }

    /** Parses {@code host:port}; IPv6 literals are written {@code [::1]:7946}. */
    public static Address parse(String text) {
        Objects.requireNonNull(text, "address");
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, but got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 address needs brackets, as in [::1]:7946, but got '" + text + "'");
        }
        String portText = text.substring(colon + 1);
        int port;
        try {
            if (!portText.chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException(portText);
            }
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a numeric port, but got '" + text + "'");
        }
        return new Address(host, port);
    }

    @Override
    public int compareTo(Address other) {
        int byHost = host.compareTo(other.host);
        return byHost != 0 ? byHost : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
