package io.dcbstore.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay on the loopback interface between a client and a server, with faults for tests:
 * client bytes forwarded at a limited rate (a slow link), and a connection dropped as the reply
 * that contains a marker reaches it (the server did the work, the client never hears of it).
 * Closes everything on close.
 */
final class LinkProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final int clientBytesPerSecond;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<byte[]> dropMarker = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean stallInsteadOfDrop;

    /**
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @param clientBytesPerSecond the client-to-server rate, 0 for full speed
     */
    LinkProxy(String targetHost, int targetPort, int clientBytesPerSecond) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.clientBytesPerSecond = clientBytesPerSecond;
        Thread acceptor = new Thread(this::accept, "link-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * Drops the next connection whose server-to-client bytes contain the marker, instead of
     * forwarding them: both sockets close, the client sees its connection fail.
     *
     * @param marker bytes of the reply to drop (ASCII)
     */
    void dropNextReplyContaining(String marker) {
        dropMarker.set(marker.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Like {@link #dropNextReplyContaining}, but the link then stays open and forwards nothing more
     * to the client (a silent network partition): no reset, no close.
     *
     * @param marker bytes of the reply to hold back (ASCII)
     */
    void stallNextReplyContaining(String marker) {
        stallInsteadOfDrop = true;
        dropNextReplyContaining(marker);
    }

    /** @return how many replies were dropped */
    int droppedReplies() {
        return dropped.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                relay(client.getInputStream(), server.getOutputStream(), clientBytesPerSecond, null);
                relay(server.getInputStream(), client.getOutputStream(), 0, List.of(client, server));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @param dropWith the sockets to close when a reply is dropped; {@code null} for client bytes */
    private void relay(InputStream in, OutputStream out, int bytesPerSecond, List<Socket> dropWith) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[4096];
                    try {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            if (dropWith != null && shouldDrop(buffer, read)) {
                                dropped.incrementAndGet();
                                if (stallInsteadOfDrop) {
                                    while (in.read(buffer) >= 0) {
                                        // Swallowed: the client hears nothing more.
                                    }
                                    return;
                                }
                                for (Socket socket : dropWith) {
                                    socket.close();
                                }
                                return;
                            }
                            out.write(buffer, 0, read);
                            out.flush();
                            if (bytesPerSecond > 0) {
                                Thread.sleep(Math.max(1, read * 1000L / bytesPerSecond));
                            }
                        }
                    } catch (IOException | InterruptedException ignored) {
                        // The other side closed: the relay ends.
                    } finally {
                        try {
                            out.close();
                        } catch (IOException ignored) {
                            // Already closed.
                        }
                    }
                },
                "link-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean shouldDrop(byte[] buffer, int length) {
        byte[] marker = dropMarker.get();
        if (marker == null || !contains(buffer, length, marker)) {
            return false;
        }
        return dropMarker.compareAndSet(marker, null);
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int start = 0; start + marker.length <= length; start++) {
            for (int i = 0; i < marker.length; i++) {
                if (buffer[start + i] != marker[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
