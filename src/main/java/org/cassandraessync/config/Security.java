package org.cassandraessync.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Reads the TLS and API-key settings of both stores into what the clients need, with every
 * contradiction or unusable file reported against its key at startup (the TLS contexts are built
 * here, so a wrong trust-store password or a file that is not PEM stops the daemon before it runs).
 */
final class Security {

    private Security() {
    }

    static Optional<TlsSettings> cassandraTls(SyncSettings.Reader r) {
        boolean enabled = r.get(SyncSetting.CASSANDRA_TLS, SyncSettings::bool) == Boolean.TRUE;
        boolean verifyHostname = r.get(SyncSetting.CASSANDRA_HOSTNAME_VERIFICATION, SyncSettings::bool) != Boolean.FALSE;
        String caFile = r.raw(SyncSetting.CASSANDRA_CA_FILE);
        String truststore = r.raw(SyncSetting.CASSANDRA_TRUSTSTORE);
        String truststorePassword = r.secret(SyncSetting.CASSANDRA_TRUSTSTORE_PASSWORD,
                SyncSetting.CASSANDRA_TRUSTSTORE_PASSWORD_FILE);
        String keystore = r.raw(SyncSetting.CASSANDRA_KEYSTORE);
        String keystorePassword = r.secret(SyncSetting.CASSANDRA_KEYSTORE_PASSWORD,
                SyncSetting.CASSANDRA_KEYSTORE_PASSWORD_FILE);
        if (!enabled) {
            for (SyncSetting s : List.of(SyncSetting.CASSANDRA_CA_FILE, SyncSetting.CASSANDRA_TRUSTSTORE,
                    SyncSetting.CASSANDRA_KEYSTORE)) {
                if (!r.raw(s).isEmpty()) {
                    r.problem(s.key() + " is set but " + SyncSetting.CASSANDRA_TLS.key()
                            + " is false: set it to true to connect with TLS");
                }
            }
            return Optional.empty();
        }
        if (!caFile.isEmpty() && !truststore.isEmpty()) {
            r.problem(SyncSetting.CASSANDRA_CA_FILE.key() + " and " + SyncSetting.CASSANDRA_TRUSTSTORE.key()
                    + " are both set: keep one");
        }
        TrustManager[] trust = !caFile.isEmpty()
                ? file(r, SyncSetting.CASSANDRA_CA_FILE, () -> TlsSettings.trustPem(Path.of(caFile)))
                : !truststore.isEmpty()
                ? file(r, SyncSetting.CASSANDRA_TRUSTSTORE, () -> TlsSettings.trustStore(Path.of(truststore), truststorePassword))
                : null;
        KeyManager[] keys = keystore.isEmpty() ? null
                : file(r, SyncSetting.CASSANDRA_KEYSTORE, () -> TlsSettings.keyStore(Path.of(keystore), keystorePassword));
        return Optional.of(new TlsSettings(TlsSettings.context(trust, keys), verifyHostname, false));
    }

    static TlsSettings elasticsearchTls(SyncSettings.Reader r, List<URI> hosts) {
        boolean insecure = r.get(SyncSetting.ELASTICSEARCH_INSECURE_SKIP_TLS_VERIFY, SyncSettings::bool) == Boolean.TRUE;
        String caFile = r.raw(SyncSetting.ELASTICSEARCH_CA_FILE);
        String fingerprint = r.raw(SyncSetting.ELASTICSEARCH_CA_FINGERPRINT);
        String keystore = r.raw(SyncSetting.ELASTICSEARCH_KEYSTORE);
        String keystorePassword = r.secret(SyncSetting.ELASTICSEARCH_KEYSTORE_PASSWORD,
                SyncSetting.ELASTICSEARCH_KEYSTORE_PASSWORD_FILE);
        boolean https = hosts != null && hosts.stream().anyMatch(u -> "https".equals(u.getScheme()));
        if (hosts != null && !https) {
            for (SyncSetting s : List.of(SyncSetting.ELASTICSEARCH_CA_FILE, SyncSetting.ELASTICSEARCH_CA_FINGERPRINT,
                    SyncSetting.ELASTICSEARCH_KEYSTORE)) {
                if (!r.raw(s).isEmpty()) {
                    r.problem(s.key() + " is set but " + SyncSetting.ELASTICSEARCH_HOSTS.key()
                            + " has no https:// URL: use https:// to connect with TLS");
                }
            }
        }
        if (!caFile.isEmpty() && !fingerprint.isEmpty()) {
            r.problem(SyncSetting.ELASTICSEARCH_CA_FILE.key() + " and " + SyncSetting.ELASTICSEARCH_CA_FINGERPRINT.key()
                    + " are both set: keep one");
        }
        if (insecure && !(caFile.isEmpty() && fingerprint.isEmpty())) {
            r.problem(SyncSetting.ELASTICSEARCH_INSECURE_SKIP_TLS_VERIFY.key() + " is true while a CA is given: remove"
                    + " it to verify the cluster against that CA");
        }
        TrustManager[] trust = insecure ? TlsSettings.trustAnything()
                : !caFile.isEmpty()
                ? file(r, SyncSetting.ELASTICSEARCH_CA_FILE, () -> TlsSettings.trustPem(Path.of(caFile)))
                : !fingerprint.isEmpty()
                ? file(r, SyncSetting.ELASTICSEARCH_CA_FINGERPRINT, () -> TlsSettings.trustFingerprint(fingerprint))
                : null;
        KeyManager[] keys = keystore.isEmpty() ? null
                : file(r, SyncSetting.ELASTICSEARCH_KEYSTORE, () -> TlsSettings.keyStore(Path.of(keystore), keystorePassword));
        return new TlsSettings(TlsSettings.context(trust, keys), !insecure, insecure);
    }

    static Optional<String> elasticsearchApiKey(SyncSettings.Reader r, Optional<SyncSettings.Credentials> credentials) {
        String key = r.secret(SyncSetting.ELASTICSEARCH_API_KEY, SyncSetting.ELASTICSEARCH_API_KEY_FILE);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (credentials != null && credentials.isPresent()) {
            r.problem(SyncSetting.ELASTICSEARCH_API_KEY.key() + " and " + SyncSetting.ELASTICSEARCH_USERNAME.key()
                    + " are both set: authenticate with one");
        }
        if (!key.matches("[A-Za-z0-9+/=_-]+")) {
            r.problem(SyncSetting.ELASTICSEARCH_API_KEY.key() + " = '****': expected the base64 'encoded' value"
                    + " Elasticsearch returned when the key was created");
        }
        return Optional.of(key);
    }

    /** The value built from a key's file; its problem reported against the key. */
    private static <T> T file(SyncSettings.Reader r, SyncSetting key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            r.problem(key.key() + " = '" + r.raw(key) + "': " + e.getMessage());
            return null;
        }
    }
}
