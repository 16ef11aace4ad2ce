package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.identity.LoginThrottle.Locked;
import io.tandem.support.MovableClock;

class LoginThrottleTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T05:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new IdentityProperties(5, 20, Duration.ofMinutes(5), 10, 365, List.of()), clock);

    @Test
    void fiveFailuresLockOnlyTheGuessingAddressOutOfThatUser() {
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.recordFailure("admin", "198.51.100.9")).isEqualTo(Locked.NOTHING);
        }
        assertThat(throttle.recordFailure("Admin", "198.51.100.9")).isEqualTo(Locked.USER_FROM_ADDRESS);

        assertThat(throttle.lockedUntil("admin", "198.51.100.9")).contains(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(throttle.lockedUntil("admin", "192.0.2.1")).as("the owner's own address").isEmpty();
        assertThat(throttle.lockedUntil("bob", "198.51.100.9")).as("another user from that address").isEmpty();
        assertThat(throttle.lockedSomewhere("ADMIN")).isTrue();

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.lockedUntil("admin", "198.51.100.9")).isEmpty();
        assertThat(throttle.recordFailure("admin", "198.51.100.9")).as("counting starts afresh").isEqualTo(Locked.NOTHING);
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverLock() {
        for (int i = 0; i < 12; i++) {
            assertThat(throttle.recordFailure("admin", "198.51.100.9")).isEqualTo(Locked.NOTHING);
            clock.advance(Duration.ofMinutes(2));
        }
        assertThat(throttle.lockedUntil("admin", "198.51.100.9")).isEmpty();
    }

    @Test
    void sprayingManyUsersFromOneAddressLocksTheAddress() {
        for (int i = 0; i < 19; i++) {
            assertThat(throttle.recordFailure("user" + i, "198.51.100.7")).isEqualTo(Locked.NOTHING);
        }
        assertThat(throttle.recordFailure("user19", "198.51.100.7")).isEqualTo(Locked.ADDRESS);
        assertThat(throttle.lockedUntil("someone-else", "198.51.100.7")).isPresent();
        assertThat(throttle.lockedUntil("someone-else", "198.51.100.8")).isEmpty();
    }

    @Test
    void aRightPasswordOrAnAdminResetClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("carol", "198.51.100.9");
        }
        throttle.recordSuccess("carol", "198.51.100.9");
        assertThat(throttle.recordFailure("carol", "198.51.100.9")).isEqualTo(Locked.NOTHING);

        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("dave", "198.51.100.9");
        }
        throttle.forget("dave");
        assertThat(throttle.lockedUntil("dave", "198.51.100.9")).isEmpty();
        assertThat(throttle.lockedSomewhere("dave")).isFalse();
    }
}
