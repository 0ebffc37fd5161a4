package dev.grapevine.ops;

import dev.grapevine.core.member.Address;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.UnresolvedAddressException;

/**
 * The agent could not bind one of its two ports: one line that names the port, the flag and key that
 * set it, and why (usually another process holds it). Not an {@link IllegalArgumentException}: the
 * flags may be right and the port free again soon, so the agent exits 1, as for any failure to run,
 * and a supervisor may try again; bad input exits 2.
 */
final class CannotListen extends RuntimeException {
    static final int EXIT_CODE = 1;

    private CannotListen(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    static CannotListen forPeers(Address at, Throwable cause) {
        return new CannotListen("cannot listen for peers on " + at + " (--bind / pekko.remote.artery.canonical.port): "
                + reason(cause), cause);
    }

    static CannotListen forAdmin(Address at, Throwable cause) {
        return new CannotListen("cannot serve the admin API on " + at + " (--http / grapevine.admin.http): "
                + reason(cause), cause);
    }

    /**
     * Fails if the admin API's port cannot be bound now. Only a courtesy: the port can still be taken
     * before the real bind, whose failure is reported the same way.
     */
    static void probe(Address admin) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // the real bind follows at once
            socket.bind(new InetSocketAddress(admin.host(), admin.port()));
        } catch (IOException e) {
            throw forAdmin(admin, e);
        }
    }

    /** Whether a failure to start the actor system is Artery failing to bind its port. */
    static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof UnresolvedAddressException
                    || String.valueOf(t.getMessage()).contains("Failed to bind")) {
                return true;
            }
        }
        return false;
    }

    /** "address already in use", from the innermost bind failure's message without its "[/host:port]" prefix. */
    static String reason(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // A host name that does not resolve: NIO says nothing (a null message), a ServerSocket "Unresolved address".
            if (t instanceof UnresolvedAddressException || "Unresolved address".equals(t.getMessage())) {
                return "its host name does not resolve";
            }
            if (t instanceof BindException || message == null) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        if (message.contains("Address already in use")) {
            return "address already in use";
        }
        message = message.replaceFirst("^\\[[^]]*] ", "");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
