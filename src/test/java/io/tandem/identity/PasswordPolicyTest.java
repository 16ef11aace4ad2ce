package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.tandem.console.Rejected;
import io.tandem.support.TestUsers;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(
            new IdentityProperties(5, 20, Duration.ofMinutes(5), 10, 365, List.of()));

    @ParameterizedTest
    @ValueSource(strings = {"1234567890", "aaaaaaaaaa", "qwertyuiop", "Password123", "iloveyou123", "abcdefghij"})
    void commonAndTrivialPasswordsAreRefused(String password) {
        assertThatThrownBy(() -> policy.check("alice", password, "password"))
                .isInstanceOf(Rejected.class)
                .satisfies(e -> assertThat(((Rejected) e).type()).isEqualTo("weak-password"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
    }

    @Test
    void eachRuleSaysWhatIsWrong() {
        assertThat(refusal("1234567890")).contains("most common");
        assertThat(refusal("my-pin-is-13579-24680-abcde")).contains("in sequence");
        assertThat(refusal("zzzzz-but-long-enough")).contains("repeat");
        assertThat(refusal("alice-has-a-long-one")).contains("username");
        assertThat(refusal("short")).contains("at least 10 characters");
    }

    @Test
    void moreThan72BytesIsRefusedClearlyInsteadOfBreakingBcrypt() {
        String ascii = "a-b-c-d-".repeat(9) + "e"; // 73 bytes
        assertThatThrownBy(() -> policy.check("alice", ascii, "password"))
                .isInstanceOf(Rejected.class)
                .satisfies(e -> assertThat(((Rejected) e).type()).isEqualTo("password-too-long"))
                .hasMessageContaining("72 bytes");
        // 30 characters, but 75 bytes in UTF-8
        assertThatThrownBy(() -> policy.check("alice", "€ü".repeat(15), "password"))
                .isInstanceOf(Rejected.class).hasMessageContaining("72 bytes");
        assertThatCode(() -> policy.check("alice", "a-b-c-d-".repeat(9), "password")).doesNotThrowAnyException();
    }

    @Test
    void ordinaryGoodPasswordsPass() {
        for (String password : List.of("correct pony staple tree", "given-password-1", "a-much-better-one",
                "Tandem, twin nodes at dawn", TestUsers.password("chosen"), TestUsers.password("temporary"))) {
            assertThatCode(() -> policy.check("alice", password, "password")).as(password).doesNotThrowAnyException();
        }
    }

    private String refusal(String password) {
        try {
            policy.check("alice", password, "password");
        } catch (Rejected rejected) {
            return rejected.getMessage();
        }
        throw new AssertionError(password + " was accepted");
    }
}
