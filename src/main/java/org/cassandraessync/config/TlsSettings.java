package org.cassandraessync.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How a store client speaks TLS: the {@link SSLContext} built from the operator's files (what to
 * trust, and an optional client certificate), whether host names are checked, and whether the
 * operator turned verification off. Each factory method throws {@link IllegalArgumentException}
 * with a message that names the file's problem but never a password.
 */
public record TlsSettings(SSLContext context, boolean verifyHostname, boolean trustsAnyCertificate) {

    /** Trusts the CA certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks). */
    static TrustManager[] trustPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<? extends Certificate> certificates = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate in the file");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return trustManagers(store);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the file (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate file: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the certificates: " + e.getMessage());
        }
    }

    /** Trusts the certificates of a PKCS#12 or JKS trust store. */
    static TrustManager[] trustStore(Path file, String password) {
        try {
            return trustManagers(load(file, password));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store: " + e.getMessage());
        }
    }

    /**
     * Trusts a chain that holds a certificate of this SHA-256 fingerprint (what Elasticsearch prints
     * for its HTTP CA at first start), as the Elasticsearch client's {@code TransportUtils} does;
     * host names are still checked.
     */
    static TrustManager[] trustFingerprint(String fingerprint) {
        String expected = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        if (!expected.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("expected a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed");
        }
        return new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                for (X509Certificate certificate : chain) {
                    if (expected.equals(sha256(certificate))) {
                        chain[0].checkValidity();
                        return;
                    }
                }
                throw new CertificateException("no certificate of the server's chain has the SHA-256 fingerprint"
                        + " given in sync.elasticsearch.ca-fingerprint (the chain's last one: " + sha256(chain[chain.length - 1]) + ")");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
    }

    /** Trusts any certificate: only behind an explicit, loudly logged setting. */
    static TrustManager[] trustAnything() {
        return new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the operator turned verification off
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // client side only
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
    }

    /** The client certificate and key of a PKCS#12 or JKS key store (the key under the store's password). */
    static KeyManager[] keyStore(Path file, String password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(file, password), password.toCharArray());
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use its key: " + e.getMessage());
        }
    }

    /** A TLS context; {@code trust} null = the JVM's default CAs, {@code keys} null = no client certificate. */
    static SSLContext context(TrustManager[] trust, KeyManager[] keys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot create a TLS context", e);
        }
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file, String password) throws GeneralSecurityException {
        try {
            // the type (PKCS#12 or JKS) is detected from the content
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage())
                    .contains("password")) {
                throw new IllegalArgumentException("wrong password (or not a key store)");
            }
            throw new IllegalArgumentException("cannot read the file as a PKCS#12 or JKS key store ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trustManagers(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
