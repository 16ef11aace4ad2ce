package io.tandem.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import io.tandem.agent.wire.CertificateFingerprint;

/**
 * What {@code agent init} left in the state directory, checked before the server starts: the keystore and
 * its password, the token hash, and where the audit log goes.
 */
public final class AgentState {

    static final String KEYSTORE = "keystore.p12";
    static final String KEYSTORE_PASSWORD = "keystore.password";
    static final String TOKEN_HASH = "token.sha256";
    static final String CONFIG = "agent.yml";
    static final String AUDIT_LOG = "audit.jsonl";
    static final String KEY_ALIAS = "agent";

    /** The files whose presence means "an agent was initialised here". */
    static final List<String> STATE_FILES = List.of(KEYSTORE, KEYSTORE_PASSWORD, TOKEN_HASH);

    private final Path dir;
    private final String keystorePassword;
    private final X509Certificate certificate;
    private final AccessToken token;

    private AgentState(Path dir, String keystorePassword, X509Certificate certificate, AccessToken token) {
        this.dir = dir;
        this.keystorePassword = keystorePassword;
        this.certificate = certificate;
        this.token = token;
    }

    /** Loads and checks the state; problems are reported against {@code state-dir} in one line. */
    public static AgentState load(Path dir) throws ConfigException {
        String key = "state-dir";
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(key, dir + " does not exist; create it with 'agent init --state-dir " + dir + "'");
        }
        for (String name : STATE_FILES) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(key, dir + " has no " + name + "; run 'agent init --state-dir " + dir + "'");
            }
            try {
                if (SecureFiles.exposed(file)) {
                    throw new ConfigException(key, file + " is readable by group or others; chmod 600 it");
                }
            } catch (IOException e) {
                throw new ConfigException(key, "cannot check " + file + " (" + e.getMessage() + ")");
            }
        }
        try {
            String password = Files.readString(dir.resolve(KEYSTORE_PASSWORD), StandardCharsets.UTF_8).strip();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(KEYSTORE))) {
                keyStore.load(in, password.toCharArray());
            }
            if (!keyStore.isKeyEntry(KEY_ALIAS) || !(keyStore.getCertificate(KEY_ALIAS) instanceof X509Certificate cert)) {
                throw new ConfigException(key, KEYSTORE + " has no key entry '" + KEY_ALIAS + "' with an X.509 certificate; "
                        + "entries: " + Collections.list(keyStore.aliases()));
            }
            String hashHex = Files.readString(dir.resolve(TOKEN_HASH), StandardCharsets.US_ASCII).strip();
            if (!hashHex.matches("[0-9a-f]{64}")) {
                throw new ConfigException(key, TOKEN_HASH + " is not a SHA-256 in hex; run 'agent init --force' for a new token");
            }
            return new AgentState(dir, password, cert, new AccessToken(HexFormat.of().parseHex(hashHex)));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, "cannot open " + dir.resolve(KEYSTORE) + " (" + e.getMessage() + ")");
        }
    }

    public Path dir() {
        return dir;
    }

    public Path keystore() {
        return dir.resolve(KEYSTORE);
    }

    String keystorePassword() {
        return keystorePassword;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String fingerprint() {
        return CertificateFingerprint.of(certificate);
    }

    AccessToken token() {
        return token;
    }

    public Path auditLog() {
        return dir.resolve(AUDIT_LOG);
    }
}
