package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.util.SafeText;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The socket under one gateway connection: connects directly or through an HTTP CONNECT proxy, then, for
 * {@code wss://}, layers TLS on top and completes the handshake, all within the connect timeout, so that a proxy's
 * refusal or a certificate problem is the connection attempt's error.
 *
 * <p>Java-WebSocket connects a socket its factory made and wraps no TLS around it; its own proxy support
 * ({@code java.net.Proxy}) cannot send {@code Proxy-Authorization: Basic} without a JVM-wide {@code Authenticator},
 * and wraps TLS with the JVM's default context. So this socket does both, and hands the library the streams of
 * whichever socket is on top. It overrides what Java-WebSocket and {@link AstroSocket} use of a socket.
 */
final class GatewaySocket extends Socket {

    /** The longest status or header line read from a proxy. */
    private static final int MAX_LINE = 8192;

    private final TransportSettings transport;
    private final boolean tls;
    private final Socket raw = new Socket();
    private volatile Socket top = raw;
    private volatile boolean established;

    private GatewaySocket(TransportSettings transport, boolean tls) {
        this.transport = transport;
        this.tls = tls;
    }

    /** A factory of unconnected sockets for Java-WebSocket's {@code setSocketFactory}. */
    static SocketFactory factory(TransportSettings transport, boolean tls) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new GatewaySocket(transport, tls);
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return connected(new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return connected(new InetSocketAddress(address, port));
            }

            private Socket connected(InetSocketAddress endpoint) throws IOException {
                Socket socket = createSocket();
                socket.connect(endpoint);
                return socket;
            }
        };
    }

    /**
     * Connects to the gateway at {@code endpoint}, whose host is the URL's as written (Java-WebSocket is given no
     * DNS resolver, so a proxy resolves the name itself).
     */
    @Override
    public void connect(SocketAddress endpoint, int timeoutMs) throws IOException {
        InetSocketAddress gateway = (InetSocketAddress) endpoint;
        String host = gateway.getHostString();
        int port = gateway.getPort();
        long deadline = timeoutMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs) : 0;
        URI proxy = transport.proxy();
        if (proxy == null) {
            raw.connect(gateway.isUnresolved() ? new InetSocketAddress(host, port) : gateway, timeoutMs);
        } else {
            raw.connect(new InetSocketAddress(proxy.getHost(), proxyPort(proxy)), timeoutMs);
            raw.setSoTimeout(remainingMs(deadline));
            tunnel(host, port);
        }
        if (tls) {
            SSLSocket ssl = (SSLSocket) transport.sslContext().getSocketFactory()
                    .createSocket(raw, unbracketed(host), port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(transport.endpointIdentificationAlgorithm());
            ssl.setSSLParameters(parameters);
            top = ssl;
            ssl.setSoTimeout(remainingMs(deadline));
            ssl.startHandshake();
        }
        top.setSoTimeout(0);
        established = true;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /** Asks the proxy for a tunnel to the gateway; on success the proxy relays bytes both ways from then on. */
    private void tunnel(String host, int port) throws IOException {
        String authority = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        StringBuilder request = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (transport.proxyUser() != null) {
            String password = transport.proxyPassword() == null ? "" : transport.proxyPassword().value();
            request.append("Proxy-Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                    (transport.proxyUser() + ":" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = raw.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Read byte by byte: whatever follows the proxy's answer belongs to the gateway.
        InputStream in = raw.getInputStream();
        String status = readLine(in);
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            // Headers of a successful CONNECT say nothing the connection needs.
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].equals("200")) {
            throw new ProxyRefusedException("the proxy " + SafeText.displayUri(transport.proxy())
                    + " refused the tunnel to " + authority + " with '"
                    + SafeText.serverText(status, transport.proxyPassword()) + "'"
                    + (parts.length > 1 && parts[1].equals("407")
                    ? ": check astro.proxy.user and astro.proxy.password"
                    : ": check astro.proxy.url and that the proxy allows CONNECT to the gateway's port"));
        }
    }

    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new ProxyRefusedException("the proxy " + SafeText.displayUri(transport.proxy())
                        + " closed the connection without answering CONNECT");
            }
            if (line.size() >= MAX_LINE) {
                throw new ProxyRefusedException("the proxy " + SafeText.displayUri(transport.proxy())
                        + " answered CONNECT with a line longer than " + MAX_LINE + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static int proxyPort(URI proxy) {
        return proxy.getPort() > 0 ? proxy.getPort() : 80;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** What is left of the connect timeout for a blocking read; 0 (no limit) when there is no timeout. */
    private static int remainingMs(long deadline) throws SocketTimeoutException {
        if (deadline == 0) {
            return 0;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("connect timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return top.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return top.getOutputStream();
    }

    /**
     * Also ends a connect, a proxy exchange or a TLS handshake under way, from any thread: then the TCP socket is
     * closed first, as closing a TLS socket in the middle of its handshake may wait for the handshake. An
     * established TLS connection is closed from the top, so that the gateway gets TLS's close_notify.
     */
    @Override
    public void close() throws IOException {
        if (!established) {
            raw.close();
        }
        try {
            top.close();
        } finally {
            raw.close();
        }
    }

    @Override
    public boolean isConnected() {
        return raw.isConnected();
    }

    @Override
    public boolean isClosed() {
        return top.isClosed() || raw.isClosed();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return raw.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return raw.getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        raw.setTcpNoDelay(on);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        raw.setReuseAddress(on);
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        raw.setReceiveBufferSize(size);
    }

    @Override
    public String toString() {
        return "GatewaySocket[" + top + "]";
    }

    /** The proxy did not open the tunnel; the message says why and which key to check, never the password. */
    static final class ProxyRefusedException extends IOException {
        ProxyRefusedException(String message) {
            super(message);
        }
    }
}
