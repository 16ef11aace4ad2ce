package io.tandem.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.passay.DictionaryRule;
import org.passay.EnglishSequenceData;
import org.passay.IllegalSequenceRule;
import org.passay.PasswordData;
import org.passay.PasswordValidator;
import org.passay.RepeatCharacterRegexRule;
import org.passay.RuleResult;
import org.passay.RuleResultDetail;
import org.passay.UsernameRule;
import org.passay.dictionary.ArrayWordList;
import org.passay.dictionary.WordListDictionary;
import org.passay.dictionary.WordLists;
import org.passay.dictionary.sort.ArraysSort;
import org.springframework.stereotype.Component;

import io.tandem.console.Rejected;

/**
 * What a chosen password must be: long enough, short enough for bcrypt, and neither common nor
 * trivial. "Common" is a list from OWASP SecLists (see {@code identity/common-passwords.NOTICE});
 * "trivial" is Passay's sequence, repeat and username rules, with Passay's default lengths.
 */
@Component
class PasswordPolicy {

    /** bcrypt reads only the first 72 bytes and Spring refuses to hash more. */
    static final int MAX_BYTES = 72;
    private static final String COMMON_PASSWORDS = "/identity/common-passwords.txt";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private final int minLength;
    private final PasswordValidator rules;

    PasswordPolicy(IdentityProperties properties) {
        this.minLength = properties.minPasswordLength();
        this.rules = new PasswordValidator(List.of(
                new DictionaryRule(new WordListDictionary(commonPasswords())),
                new IllegalSequenceRule(EnglishSequenceData.Alphabetical),
                new IllegalSequenceRule(EnglishSequenceData.Numerical),
                new IllegalSequenceRule(EnglishSequenceData.USQwerty),
                new RepeatCharacterRegexRule(),
                new UsernameRule(true, true)));
    }

    void check(String username, String password, String field) {
        if (password == null || password.length() < minLength) {
            throw Rejected.invalid("weak-password", field, "The password must have at least " + minLength + " characters.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw Rejected.invalid("password-too-long", field, "The password must be at most " + MAX_BYTES
                    + " bytes long (72 plain letters or digits; accented letters and symbols take 2 to 4 bytes each).");
        }
        RuleResult result = rules.validate(new PasswordData(username, password));
        if (!result.isValid()) {
            throw Rejected.invalid("weak-password", field, reason(result.getDetails().get(0)));
        }
    }

    /** Our own words, never Passay's messages: those quote the password back. */
    private static String reason(RuleResultDetail detail) {
        return switch (detail.getErrorCode()) {
            case DictionaryRule.ERROR_CODE, DictionaryRule.ERROR_CODE_REVERSED ->
                    "This password is among the most common ones; choose another.";
            case "ILLEGAL_ALPHABETICAL_SEQUENCE", "ILLEGAL_NUMERICAL_SEQUENCE", "ILLEGAL_QWERTY_SEQUENCE" ->
                    "The password must not contain a run of 5 or more letters, digits or keys in sequence (like 12345, abcde or qwert).";
            case UsernameRule.ERROR_CODE, UsernameRule.ERROR_CODE_REVERSED -> "The password must not contain the username.";
            case "ILLEGAL_MATCH" -> "The password must not repeat one character 5 or more times in a row.";
            default -> "This password is too easy to guess; choose another.";
        };
    }

    /** 20 characters from an unambiguous alphabet: about 117 bits. */
    String generate() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private static ArrayWordList commonPasswords() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
            if (in == null) {
                throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the build");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return WordLists.createFromReader(new Reader[] {reader}, false, new ArraysSort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
