package dev.grapevine.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A slow client of the admin API: what it has to say, a byte a second, then 'x' a second for ever. */
final class Trickler {
    private Trickler() {
    }

    /**
     * Writes {@code atOnce} now, then {@code slowly} and after it 'x', one byte a second on {@code clock}.
     * Returns a flag that turns true once the server has closed the connection.
     */
    static AtomicBoolean start(Socket socket, byte[] atOnce, byte[] slowly, ScheduledExecutorService clock) throws IOException {
        socket.getOutputStream().write(atOnce);
        socket.getOutputStream().flush();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        clock.scheduleAtFixedRate(() -> {
            if (closed.get()) {
                return;
            }
            try {
                int i = next.getAndIncrement();
                socket.getOutputStream().write(i < slowly.length ? slowly[i] : 'x');
                socket.getOutputStream().flush();
            } catch (IOException reset) {
                closed.set(true);
            }
        }, 1, 1, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try (InputStream in = socket.getInputStream()) {
                while (in.read() >= 0) {
                    // an answer (a 408, say) or nothing: only the end matters
                }
            } catch (IOException reset) {
                // closed too
            }
            closed.set(true);
        }, "trickler-reader");
        reader.setDaemon(true);
        reader.start();
        return closed;
    }
}
