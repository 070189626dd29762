package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS, API key and secret-file settings: read, checked against each other, refused naming the key. */
class SecuritySettingsTest {

    private static final String STORE_PASSWORD = "store-secret-91";

    @TempDir
    static Path dir;
    private static Path keystore;
    private static Path certificate;

    /** A key store and its certificate as PEM, made with the JDK's keytool as an operator would. */
    @BeforeAll
    static void certificates() throws Exception {
        keystore = dir.resolve("client.p12");
        certificate = dir.resolve("client.crt");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=client",
                "-keystore", keystore.toString());
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", keystore.toString(), "-file", certificate.toString());
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
    }

    private static SyncSettings settings(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return SyncSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void a_password_comes_from_a_mounted_secret_file_without_its_line_break() throws Exception {
        Path file = Files.writeString(dir.resolve("es-password"), "s3cret from a file\n");
        SyncSettings s = settings("sync.elasticsearch.username", "sync",
                "sync.elasticsearch.password-file", file.toString());
        assertThat(s.elasticsearchCredentials()).hasValueSatisfying(c -> assertThat(c.password())
                .isEqualTo("s3cret from a file"));
    }

    @Test
    void a_secret_given_twice_or_in_a_missing_file_is_refused_naming_the_keys_not_the_value() {
        assertThatThrownBy(() -> settings("sync.cassandra.username", "sync",
                "sync.cassandra.password", "direct-secret-42",
                "sync.cassandra.password-file", dir.resolve("no-such-file").toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.cassandra.password and sync.cassandra.password-file are both set")
                .hasMessageContaining("sync.cassandra.password-file = '" + dir.resolve("no-such-file")
                        + "': cannot read the file (NoSuchFileException)")
                .message().doesNotContain("direct-secret-42");
    }

    @Test
    void tls_files_without_tls_are_refused_rather_than_ignored() {
        assertThatThrownBy(() -> settings("sync.cassandra.ca-file", certificate.toString(),
                "sync.elasticsearch.ca-file", certificate.toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.cassandra.ca-file is set but sync.cassandra.tls is false")
                .hasMessageContaining("sync.elasticsearch.ca-file is set but sync.elasticsearch.hosts has no https:// URL");
    }

    @Test
    void contradicting_trust_settings_are_refused() {
        assertThatThrownBy(() -> settings("sync.elasticsearch.hosts", "https://es:9200",
                "sync.elasticsearch.ca-file", certificate.toString(),
                "sync.elasticsearch.ca-fingerprint", "ab".repeat(32),
                "sync.elasticsearch.insecure-skip-tls-verify", "true",
                "sync.cassandra.tls", "true",
                "sync.cassandra.ca-file", certificate.toString(),
                "sync.cassandra.truststore", keystore.toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.elasticsearch.ca-file and sync.elasticsearch.ca-fingerprint are both set")
                .hasMessageContaining("sync.elasticsearch.insecure-skip-tls-verify is true while a CA is given")
                .hasMessageContaining("sync.cassandra.ca-file and sync.cassandra.truststore are both set");
    }

    @Test
    void unusable_tls_files_fail_at_startup_naming_the_key_and_never_the_password() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> settings("sync.cassandra.tls", "true",
                "sync.cassandra.keystore", keystore.toString(),
                "sync.cassandra.keystore-password", "wrong-password-77",
                "sync.cassandra.ca-file", notPem.toString(),
                "sync.elasticsearch.hosts", "https://es:9200",
                "sync.elasticsearch.ca-fingerprint", "12:34"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.cassandra.keystore = '" + keystore + "': wrong password")
                .hasMessageContaining("sync.cassandra.ca-file = '" + notPem + "': ")
                .hasMessageContaining("sync.elasticsearch.ca-fingerprint = '12:34': expected a SHA-256 fingerprint")
                .message().doesNotContain("wrong-password-77");
    }

    @Test
    void a_keystore_and_a_pem_ca_make_a_tls_context_with_host_names_checked() {
        SyncSettings s = settings("sync.cassandra.tls", "true",
                "sync.cassandra.ca-file", certificate.toString(),
                "sync.cassandra.keystore", keystore.toString(),
                "sync.cassandra.keystore-password", STORE_PASSWORD,
                "sync.elasticsearch.hosts", "https://es:9200",
                "sync.elasticsearch.ca-fingerprint", "ab".repeat(32));
        assertThat(s.cassandraTls()).hasValueSatisfying(t -> {
            assertThat(t.verifyHostname()).isTrue();
            assertThat(t.trustsAnyCertificate()).isFalse();
        });
        assertThat(s.elasticsearchTls().verifyHostname()).isTrue();
        assertThat(settings().cassandraTls()).as("TLS is off unless asked for").isEmpty();
    }

    @Test
    void only_the_explicit_switch_turns_verification_off() {
        SyncSettings s = settings("sync.elasticsearch.hosts", "https://es:9200",
                "sync.elasticsearch.insecure-skip-tls-verify", "true");
        assertThat(s.elasticsearchTls().trustsAnyCertificate()).isTrue();
        assertThat(s.elasticsearchTls().verifyHostname()).isFalse();
        assertThat(settings("sync.elasticsearch.hosts", "https://es:9200").elasticsearchTls().trustsAnyCertificate())
                .isFalse();
    }

    @Test
    void a_pinned_fingerprint_trusts_the_chain_holding_that_certificate_and_no_other() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certificate)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String openssl = java.util.HexFormat.ofDelimiter(":").formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(cert.getEncoded())).toUpperCase(java.util.Locale.ROOT);
        X509TrustManager pinned = (X509TrustManager) TlsSettings.trustFingerprint(openssl)[0];
        pinned.checkServerTrusted(new X509Certificate[] {cert}, "RSA");
        X509TrustManager other = (X509TrustManager) TlsSettings.trustFingerprint("00".repeat(32))[0];
        assertThatThrownBy(() -> other.checkServerTrusted(new X509Certificate[] {cert}, "RSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("no certificate of the server's chain has the SHA-256 fingerprint");
    }

    @Test
    void an_api_key_excludes_a_user_and_is_never_printed() {
        assertThatThrownBy(() -> settings("sync.elasticsearch.api-key", "not base64 key!",
                "sync.elasticsearch.username", "sync"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.elasticsearch.api-key and sync.elasticsearch.username are both set")
                .hasMessageContaining("sync.elasticsearch.api-key = '****'")
                .message().doesNotContain("not base64 key!");
        SyncSettings s = settings("sync.elasticsearch.api-key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
        assertThat(s.elasticsearchApiKey()).isPresent();
        assertThat(s.toString()).doesNotContain("VnVhQ2ZHY0JDZGJr");
    }
}
