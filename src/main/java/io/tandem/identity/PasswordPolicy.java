package io.tandem.identity;

import java.security.SecureRandom;

import org.springframework.stereotype.Component;

import io.tandem.console.Rejected;

@Component
class PasswordPolicy {

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int MAX_LENGTH = 128;

    private final SecureRandom random = new SecureRandom();
    private final int minLength;

    PasswordPolicy(IdentityProperties properties) {
        this.minLength = properties.minPasswordLength();
    }

    void check(String username, String password, String field) {
        if (password == null || password.length() < minLength) {
            throw Rejected.invalid("weak-password", field, "The password must have at least " + minLength + " characters.");
        }
        if (password.length() > MAX_LENGTH) {
            throw Rejected.invalid("weak-password", field, "The password must have at most " + MAX_LENGTH + " characters.");
        }
        if (password.equalsIgnoreCase(username)) {
            throw Rejected.invalid("weak-password", field, "The password must not be the username.");
        }
    }

    /** 20 characters from an unambiguous alphabet: about 117 bits. */
    String generate() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
