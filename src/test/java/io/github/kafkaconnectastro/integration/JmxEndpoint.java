package io.github.kafkaconnectastro.integration;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A JMX remote endpoint on 127.0.0.1 and an ephemeral port over the test JVM's platform MBean server, where the
 * embedded Connect workers register their MBeans: tests read them through a real JMX connection, as an operator's
 * JConsole or JMX exporter would. No RMI registry; the address carries the server's stub.
 */
final class JmxEndpoint implements AutoCloseable {

    private final JMXConnectorServer server;
    private final JMXConnector client;

    private JmxEndpoint(JMXConnectorServer server, JMXConnector client) {
        this.server = server;
        this.client = client;
    }

    static JmxEndpoint start() throws IOException {
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new LoopbackServerSockets());
        // The stub names the host it was exported on, which may not be loopback; the client ignores it.
        env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, new LoopbackClientSockets());
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), env, ManagementFactory.getPlatformMBeanServer());
        server.start();
        try {
            return new JmxEndpoint(server, JMXConnectorFactory.connect(server.getAddress()));
        } catch (IOException e) {
            server.stop();
            throw e;
        }
    }

    /** The remote connection; not the platform MBean server itself. */
    MBeanServerConnection connection() throws IOException {
        return client.getMBeanServerConnection();
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.stop();
        }
    }

    private static final class LoopbackServerSockets implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackServerSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackServerSockets.class.hashCode();
        }
    }

    private static final class LoopbackClientSockets implements RMIClientSocketFactory, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackClientSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackClientSockets.class.hashCode();
        }
    }
}
