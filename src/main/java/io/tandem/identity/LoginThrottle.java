package io.tandem.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * Failed logins counted per client address: per user from one address ({@code maxFailedLogins}),
 * and per address whatever the user ({@code maxFailedLoginsPerAddress}). Whoever guesses from one
 * address locks out only that address, so nobody can keep a user (admin) out from their own.
 * Kept in memory: an attacker cannot restart the console, and a flood of wrong passwords never
 * becomes a flood of database writes.
 */
@Component
class LoginThrottle {

    /** Bounds the memory a flood of invented usernames can take; stale entries go first. */
    private static final int MAX_ENTRIES = 100_000;
    private static final String ANY_USER = "";

    private final Map<Key, Failures> entries = new ConcurrentHashMap<>();
    private final IdentityProperties properties;
    private final Clock clock;

    LoginThrottle(IdentityProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** What a failure locked: the user from this address, the address for every user, or nothing. */
    enum Locked { NOTHING, USER_FROM_ADDRESS, ADDRESS }

    private record Key(String username, String address) {
        static Key of(String username, String address) {
            return new Key(username.toLowerCase(Locale.ROOT), address);
        }
    }

    /** Failures in the current window; the window starts with the first failure and lasts one lock duration. */
    private record Failures(int count, Instant windowStart, Instant lockedUntil) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }

        boolean staleAt(Instant now, Duration window) {
            return !lockedAt(now) && !windowStart.plus(window).isAfter(now);
        }
    }

    /** When the address may try this user again, if it is locked out now. */
    Optional<Instant> lockedUntil(String username, String address) {
        Instant now = clock.instant();
        return Stream.of(Key.of(username, address), new Key(ANY_USER, address))
                .map(entries::get)
                .filter(f -> f != null && f.lockedAt(now))
                .map(Failures::lockedUntil)
                .max(Instant::compareTo);
    }

    Locked recordFailure(String username, String address) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            prune(now);
        }
        boolean userLocked = count(Key.of(username, address), properties.maxFailedLogins(), now);
        boolean addressLocked = count(new Key(ANY_USER, address), properties.maxFailedLoginsPerAddress(), now);
        return addressLocked ? Locked.ADDRESS : userLocked ? Locked.USER_FROM_ADDRESS : Locked.NOTHING;
    }

    /** A right password from this address: its count for this user starts afresh. */
    void recordSuccess(String username, String address) {
        entries.remove(Key.of(username, address));
    }

    /** An admin set a new password: every address may try this user again. */
    void forget(String username) {
        String name = username.toLowerCase(Locale.ROOT);
        entries.keySet().removeIf(key -> key.username().equals(name));
    }

    /** Whether some address is locked out from this user now. */
    boolean lockedSomewhere(String username) {
        String name = username.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        return entries.entrySet().stream().anyMatch(e -> e.getKey().username().equals(name) && e.getValue().lockedAt(now));
    }

    /** Counts one failure; true when it is the one that locks. */
    private boolean count(Key key, int max, Instant now) {
        Duration window = properties.lockDuration();
        boolean[] locks = {false};
        entries.compute(key, (k, before) -> {
            if (before != null && before.lockedAt(now)) {
                return before; // already locked: attempts are refused before they are checked
            }
            Failures current = before == null || before.staleAt(now, window) ? new Failures(0, now, null) : before;
            int count = current.count() + 1;
            locks[0] = count >= max;
            return new Failures(locks[0] ? 0 : count, current.windowStart(), locks[0] ? now.plus(window) : null);
        });
        return locks[0];
    }

    private void prune(Instant now) {
        Duration window = properties.lockDuration();
        entries.values().removeIf(f -> f.staleAt(now, window));
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(f -> !f.lockedAt(now)); // under a flood, keep only the locks
        }
    }
}
