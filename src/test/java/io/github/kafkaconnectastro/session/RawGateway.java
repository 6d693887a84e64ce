package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.WireFrames;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A websocket server written by hand over a plain {@link ServerSocket}: it answers the handshake, then writes
 * whatever frames a test asks for, FIN bits, opcodes and lengths included, however wrong, which no websocket
 * library would send. Each connection runs the test's {@link Script} on a thread of its own, and records what the
 * client sent back (its pongs, its close code).
 */
final class RawGateway implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** What the gateway does on one connection, by its number (0 for the first); may block, may throw. */
    interface Script {
        void run(Connection connection, int index) throws IOException, InterruptedException;
    }

    /** The receive buffer of a gateway that does not read: small, so that a client's large frame backs up at once. */
    private static final int UNREAD_RECEIVE_BUFFER = 64 << 10;

    private final ServerSocket server;
    private final Script script;
    private final boolean readAtOnce;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private RawGateway(Script script, boolean readAtOnce) throws IOException {
        this.server = new ServerSocket();
        if (!readAtOnce) {
            server.setReceiveBufferSize(UNREAD_RECEIVE_BUFFER);
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.script = script;
        this.readAtOnce = readAtOnce;
        this.acceptor = new Thread(this::accept, "raw-gateway-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RawGateway start(Script script) throws IOException {
        return new RawGateway(script, true);
    }

    /**
     * A gateway that reads nothing a client sends after the handshake until the test calls
     * {@link Connection#resumeReading()}, with a small receive buffer, so that a large frame from the client stays
     * in the client's writer.
     */
    static RawGateway startUnread(Script script) throws IOException {
        return new RawGateway(script, false);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/socket");
    }

    /** The connection with this number, once the client has opened it; null after the timeout. */
    Connection awaitConnection(int index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections.size() <= index) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(10);
        }
        return connections.get(index);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> serve(socket), "raw-gateway-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        Connection connection;
        int index;
        try {
            handshake(socket);
            synchronized (connections) {
                connection = new Connection(socket);
                index = connections.size();
                connections.add(connection);
            }
            connection.startReading();
            if (readAtOnce) {
                connection.resumeReading();
            }
        } catch (IOException e) {
            return;
        }
        try {
            script.run(connection, index);
        } catch (IOException e) {
            connection.writeFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void handshake(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("no handshake");
            }
            head.write(b);
        }
        String key = null;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One client connection after the handshake. */
    static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final AtomicLong written = new AtomicLong();
        private final CountDownLatch closeReceived = new CountDownLatch(1);
        private final CountDownLatch reading = new CountDownLatch(1);
        private final List<byte[]> pongs = new CopyOnWriteArrayList<>();
        private volatile int clientCloseCode = -1;

        /** What {@link #awaitClientClose} gives when the client dropped the connection without a close frame. */
        static final int DROPPED = -2;
        private volatile IOException writeFailure;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Writes one unmasked frame. */
        void frame(boolean fin, int opcode, byte[] payload) throws IOException {
            header(fin, opcode, payload.length);
            write(payload);
        }

        /** Writes a frame header only, claiming {@code length} payload bytes, for a test to stream them after. */
        void header(boolean fin, int opcode, long length) throws IOException {
            write(WireFrames.header(fin, opcode, length));
        }

        /** Writes raw bytes; throws once the client has gone. */
        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            written.addAndGet(bytes.length);
        }

        /** The bytes written so far, frame headers included. */
        long written() {
            return written.get();
        }

        /** Why writing stopped, once the client has gone; null while it could write. */
        IOException writeFailure() {
            return writeFailure;
        }

        /** The code of the client's close frame, or -1 if none arrived within the timeout. */
        int awaitClientClose(Duration timeout) throws InterruptedException {
            closeReceived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return clientCloseCode;
        }

        List<byte[]> pongs() {
            return pongs;
        }

        /** Lets the connection's reader read the client's frames (at once, unless the gateway started unread). */
        void resumeReading() {
            reading.countDown();
        }

        private void startReading() {
            Thread reader = new Thread(this::read, "raw-gateway-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads the client's (masked) frames until it goes, keeping its pongs and its close code. */
        private void read() {
            try {
                reading.await();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long length = b1 & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    int opcode = b0 & 0x0F;
                    if (opcode == PONG) {
                        pongs.add(payload);
                    } else if (opcode == CLOSE) {
                        clientCloseCode = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        closeReceived.countDown();
                    }
                }
            } catch (IOException e) {
                if (closeReceived.getCount() > 0) {
                    clientCloseCode = DROPPED;
                }
                closeReceived.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
