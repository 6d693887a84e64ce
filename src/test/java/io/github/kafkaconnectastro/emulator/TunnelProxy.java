package io.github.kafkaconnectastro.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP CONNECT proxy for tests: reads {@code CONNECT host:port}, checks {@code Proxy-Authorization: Basic}
 * when it was given credentials (407 otherwise), connects to the target and pipes bytes both ways. It counts the
 * tunnels it opened and the requests it refused, so a test can tell that traffic went through it.
 */
public final class TunnelProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TunnelProxy(String user, String password) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        expectedAuthorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Thread acceptor = new Thread(this::accept, "tunnel-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy that wants no authentication. */
    public static TunnelProxy open() throws IOException {
        return new TunnelProxy(null, null);
    }

    /** A proxy that opens a tunnel only for this user and password. */
    public static TunnelProxy withCredentials(String user, String password) throws IOException {
        return new TunnelProxy(user, password);
    }

    /** {@code http://127.0.0.1:<port>}, for {@code astro.proxy.url}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many tunnels it opened. */
    public int tunnels() {
        return tunnels.get();
    }

    /** How many CONNECT requests it refused for missing or wrong credentials. */
    public int refused() {
        return refused.get();
    }

    /** The {@code host:port} of every CONNECT it received, in order. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread handler = new Thread(() -> handle(client), "tunnel-proxy-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String[] request = readLine(in).split(" ");
            String authorization = null;
            for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT)
                        .equals("proxy-authorization")) {
                    authorization = header.substring(colon + 1).trim();
                }
            }
            if (request.length != 3 || !request[0].equals("CONNECT")) {
                reply(out, "405 Method Not Allowed");
                return;
            }
            targets.add(request[1]);
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                refused.incrementAndGet();
                reply(out, "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"");
                return;
            }
            int colon = request[1].lastIndexOf(':');
            String host = request[1].substring(0, colon).replace("[", "").replace("]", "");
            Socket target = new Socket();
            sockets.add(target);
            target.connect(new InetSocketAddress(host, Integer.parseInt(request[1].substring(colon + 1))), 5_000);
            tunnels.incrementAndGet();
            reply(out, "200 Connection established");
            pipe(target.getInputStream(), out, client);
            pipe(in, target.getOutputStream(), target);
        } catch (IOException | RuntimeException e) {
            close(client);
        }
    }

    private static void reply(OutputStream out, String statusAndHeaders) throws IOException {
        out.write(("HTTP/1.1 " + statusAndHeaders + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Copies until either side ends, then closes {@code sink} so that the other direction ends too. */
    private static void pipe(InputStream from, OutputStream to, Socket sink) {
        Thread copier = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The other side closed; closing the sink below ends the opposite direction.
            } finally {
                close(sink);
            }
        }, "tunnel-proxy-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the client closed before its request ended");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        new ArrayList<>(sockets).forEach(TunnelProxy::close);
    }
}
