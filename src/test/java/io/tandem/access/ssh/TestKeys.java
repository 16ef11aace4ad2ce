package io.tandem.access.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Client keys made in the test and written in the formats an admin pastes into Tandem. */
public enum TestKeys {
    ED25519("ssh-ed25519", 256),
    ECDSA_P256("ecdsa-sha2-nistp256", 256),
    RSA_3072("ssh-rsa", 3072);

    private final String type;
    private final int bits;

    TestKeys(String type, int bits) {
        this.type = type;
        this.bits = bits;
    }

    public KeyPair generate() {
        try {
            return KeyUtils.generateKeyPair(type, bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -----BEGIN OPENSSH PRIVATE KEY-----}, optionally encrypted with {@code passphrase}. */
    public static String openSsh(KeyPair pair, String passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setPassword(passphrase);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test key", encryption, out);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    public static String pkcs8Pem(KeyPair pair) {
        try {
            return pem(new JcaPKCS8Generator(pair.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The traditional OpenSSL form: {@code BEGIN RSA PRIVATE KEY} (PKCS#1) or {@code BEGIN EC PRIVATE KEY}. */
    public static String traditionalPem(KeyPair pair) {
        return pem(pair);
    }

    /** OpenSSH's fingerprint computed from first principles: SHA-256 of the wire blob, base64 unpadded. */
    public static String fingerprint(java.security.PublicKey key) {
        String line = PublicKeyEntry.toString(key);
        byte[] blob = Base64.getDecoder().decode(line.split(" ")[1]);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
