package io.github.kafkaconnectastro.emulator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a {@code wss://} emulator, made in the test with the JDK's own {@code keytool} (no library):
 * a self-signed one for 127.0.0.1 and localhost, and a test CA that signed one for another host only
 * ({@code example.invalid}) and one that has expired. Trust stores (JKS, password {@link #PASSWORD}) hold either
 * the self-signed certificate or the CA; server sides are {@link SSLContext}s for {@link AstroEmulator#startTls}.
 *
 * <p>A certificate that is itself in a trust store is trusted without looking at its dates (the JDK's PKIX
 * validator stops at a trusted certificate), so the expired one is signed by the CA: the CA is trusted, and the
 * certificate's validity is checked.
 */
public final class TestCertificates {

    /** The password of every store made here. */
    public static final String PASSWORD = "test-store-secret-42";
    private static final String LOOPBACK_NAMES = "SAN=ip:127.0.0.1,dns:localhost";

    private final Path dir;
    private final Path selfSignedTrustStore;
    private final Path caTrustStore;

    private TestCertificates(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        this.dir = dir;
        // Three rounds of keytool runs that do not depend on each other, each round's runs side by side.
        keytools(keyPair("self", "CN=localhost", "-ext", LOOPBACK_NAMES),
                keyPair("ca", "CN=Astro Test CA", "-ext", "bc:c"),
                keyPair("wrong-host", "CN=wrong-host"),
                keyPair("expired", "CN=expired"));
        keytools(request("wrong-host"), request("expired"));
        keytools(signedByCa("wrong-host", "SAN=dns:example.invalid", "-validity", "2"),
                signedByCa("expired", LOOPBACK_NAMES, "-startdate", "-2d", "-validity", "1"));
        selfSignedTrustStore = trustStore("self-trust.jks", load("self.p12").getCertificate("self"));
        caTrustStore = trustStore("ca-trust.jks", load("ca.p12").getCertificate("ca"));
    }

    /** Makes every certificate and store in {@code dir}; takes a few seconds (one keytool run per step). */
    public static TestCertificates create(Path dir) {
        try {
            return new TestCertificates(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making test certificates", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make test certificates in " + dir, e);
        }
    }

    /** A self-signed certificate for 127.0.0.1 and localhost. */
    public SSLContext selfSignedServer() {
        return serverContext("self.p12", "self", List.of());
    }

    /** Signed by the test CA, valid, but for example.invalid only. */
    public SSLContext wrongHostServer() {
        return serverContext("wrong-host.p12", "wrong-host", List.of(file("wrong-host.pem")));
    }

    /** Signed by the test CA for 127.0.0.1 and localhost, expired yesterday. */
    public SSLContext expiredServer() {
        return serverContext("expired.p12", "expired", List.of(file("expired.pem")));
    }

    /** A JKS trust store with the self-signed certificate. */
    public Path selfSignedTrustStore() {
        return selfSignedTrustStore;
    }

    /** A JKS trust store with the test CA. */
    public Path caTrustStore() {
        return caTrustStore;
    }

    private List<String> keyPair(String name, String subject, String... extensions) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", subject, "-validity", "2", "-keystore", file(name + ".p12")));
        args.addAll(List.of(extensions));
        return args;
    }

    private List<String> request(String name) {
        return List.of("-certreq", "-alias", name, "-keystore", file(name + ".p12"), "-file", file(name + ".csr"));
    }

    private List<String> signedByCa(String name, String names, String... validity) {
        List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", file("ca.p12"),
                "-infile", file(name + ".csr"), "-outfile", file(name + ".pem"), "-rfc", "-ext", names));
        args.addAll(List.of(validity));
        return args;
    }

    /** The key of {@code keyStore} with the chain read from {@code chainFiles} (or the store's own certificate). */
    private SSLContext serverContext(String keyStore, String alias, List<String> chainFiles) {
        try {
            KeyStore source = load(keyStore);
            Key key = source.getKey(alias, PASSWORD.toCharArray());
            List<Certificate> chain = new ArrayList<>();
            if (chainFiles.isEmpty()) {
                chain.add(source.getCertificate(alias));
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (String chainFile : chainFiles) {
                try (InputStream in = Files.newInputStream(Path.of(chainFile))) {
                    chain.addAll(x509.generateCertificates(in));
                }
            }
            if (!chainFiles.isEmpty()) {
                chain.add(load("ca.p12").getCertificate("ca"));
            }
            KeyStore server = KeyStore.getInstance("PKCS12");
            server.load(null, null);
            server.setKeyEntry(alias, key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(server, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a server TLS context from " + keyStore, e);
        }
    }

    private Path trustStore(String name, Certificate certificate) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        store.setCertificateEntry("gateway", certificate);
        Path path = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return path;
    }

    private KeyStore load(String name) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    /** Runs keytool once per argument list, all at once, and waits for every run. */
    @SafeVarargs
    private static void keytools(List<String>... runs) throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        for (List<String> args : runs) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            // A short-lived JVM: skip the optimising compiler, which only costs start-up time here.
            command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
            command.addAll(args);
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + runs[i].get(0) + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
        }
    }
}
