package io.tandem.identity;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Hashes and checks passwords a few at a time, one per core. A bcrypt check is slow on purpose (tens of milliseconds
 * of CPU); two hundred logins at once used to share the cores two hundred ways, so every login took seconds and the
 * requests holding a database connection meanwhile (the user lookup, the audit row) were starved until the pool ran
 * out. Checks queue here instead, holding no connection, and each runs at full speed. Waiting longer than
 * {@code maxWait} refuses the login as a service failure (the user is told to try again), never as a wrong password.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final Duration maxWait;

    BoundedPasswordEncoder(PasswordEncoder delegate, int atOnce, Duration maxWait) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one password check at a time, got " + atOnce);
        }
        this.delegate = delegate;
        this.permits = new Semaphore(atOnce, true);
        this.maxWait = maxWait;
    }

    /** One check per core the JVM may use. */
    static BoundedPasswordEncoder perCore(PasswordEncoder delegate) {
        return new BoundedPasswordEncoder(delegate, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(10));
    }

    @Override
    public String encode(CharSequence rawPassword) {
        acquire();
        try {
            return delegate.encode(rawPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        acquire();
        try {
            return delegate.matches(rawPassword, encodedPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Busy("The console is busy checking other passwords; try again in a moment.", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("Interrupted while waiting to check the password.", e);
        }
    }

    /** Too many passwords to check right now: the login page says to try again (not that the password was wrong). */
    static final class Busy extends AuthenticationServiceException {

        Busy(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
