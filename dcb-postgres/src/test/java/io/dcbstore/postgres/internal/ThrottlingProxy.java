package io.dcbstore.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on the loopback interface that forwards client bytes to a server at a limited rate
 * (a slow link) and server bytes back at full speed. For tests only; closes everything on close.
 */
final class ThrottlingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final int clientBytesPerSecond;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ThrottlingProxy(String targetHost, int targetPort, int clientBytesPerSecond) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.clientBytesPerSecond = clientBytesPerSecond;
        Thread acceptor = new Thread(this::accept, "throttling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
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
                relay(client.getInputStream(), server.getOutputStream(), clientBytesPerSecond);
                relay(server.getInputStream(), client.getOutputStream(), 0);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void relay(InputStream in, OutputStream out, int bytesPerSecond) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[4096];
                    try {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
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
                "throttling-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
