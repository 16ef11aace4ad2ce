package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir
    Path dir;

    @Test
    void aKeyFileIsCreatedOwnerOnlyAndReusedAcrossStarts() throws Exception {
        Path keyFile = dir.resolve("master.key");
        SecretCipher first = SecretCipher.load(null, keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        byte[] sealed = first.encrypt("ssh key", "node:1");
        assertThat(SecretCipher.load("", keyFile).decrypt(sealed, "node:1")).isEqualTo("ssh key");
    }

    @Test
    void aCiphertextOnlyOpensForItsOwnerWithItsKeyAndUntouched() {
        SecretCipher cipher = new SecretCipher(new byte[32]);
        byte[] sealed = cipher.encrypt("token", "node:a");
        assertThat(cipher.encrypt("token", "node:a")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> cipher.decrypt(sealed, "node:b")).isInstanceOf(SecretCipher.SecretUnreadableException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new SecretCipher(otherKey).decrypt(sealed, "node:a"))
                .isInstanceOf(SecretCipher.SecretUnreadableException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "node:a")).isInstanceOf(SecretCipher.SecretUnreadableException.class);
        assertThatThrownBy(() -> cipher.decrypt(new byte[3], "node:a")).isInstanceOf(SecretCipher.SecretUnreadableException.class);
    }

    @Test
    void aConfiguredMasterKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> SecretCipher.load("not base64!", dir.resolve("k"))).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SecretCipher.load(Base64.getEncoder().encodeToString(new byte[16]), dir.resolve("k")))
                .hasMessageContaining("must be 32 bytes");
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(SecretCipher.load(key, dir.resolve("k")).decrypt(new SecretCipher(new byte[32]).encrypt("x", "o"), "o"))
                .isEqualTo("x");
        assertThat(dir.resolve("k")).as("no key file when the key comes from the environment").doesNotExist();
    }
}
