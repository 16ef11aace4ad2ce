package io.tandem.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AES-256-GCM for credentials at rest. Layout: version byte, 12-byte nonce, ciphertext with tag.
 * The associated data binds a ciphertext to its owner (e.g. the node id), so a ciphertext copied
 * to another row does not decrypt.
 */
public final class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The key from {@code TANDEM_MASTER_KEY} (base64 of 32 bytes) when set, else from the key file,
     * which is created with mode 0600 on first use.
     */
    static SecretCipher load(String configuredKey, Path keyFile) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            return new SecretCipher(decodeKey(configuredKey.strip(), "TANDEM_MASTER_KEY"));
        }
        try {
            if (!Files.exists(keyFile)) {
                createKeyFile(keyFile);
            }
            return new SecretCipher(decodeKey(Files.readString(keyFile, StandardCharsets.US_ASCII).strip(), keyFile.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void createKeyFile(Path keyFile) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            try {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(keyFile);
            }
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.WRITE);
        log.info("Created the master key {} (mode 0600). Back it up: without it stored credentials cannot be read.", keyFile);
    }

    private static byte[] decodeKey(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key in " + source + " is not base64.");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("The master key in " + source + " must be 32 bytes (44 base64 characters), "
                    + "found " + key.length + " bytes. Generate one with: head -c 32 /dev/urandom | base64");
        }
        return key;
    }

    public byte[] encrypt(String plaintext, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** Fails when the data was altered, moved to another owner, or sealed with another master key. */
    public String decrypt(byte[] sealed, String owner) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SecretUnreadableException("stored credential is damaged or of an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException("stored credential cannot be decrypted with this master key");
        }
    }

    /** The credential exists but cannot be read: wrong master key or tampered data. */
    public static final class SecretUnreadableException extends RuntimeException {
        SecretUnreadableException(String message) {
            super(message);
        }
    }
}
