package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.tandem.audit.AuditLog;
import io.tandem.support.MovableClock;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.TestUsers.Credentials;

/**
 * Every API request presents its token: one found good is not looked up again for a few seconds, a revocation through
 * the console counts at the very next request, and one made elsewhere within those seconds.
 */
@ConsoleTest
class TokenChecksTest {

    @Autowired
    ApiTokens tokens;
    @Autowired
    UserAccounts accounts;
    @Autowired
    AuditLog audit;
    @Autowired
    IdentityProperties properties;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    TestUsers users;
    @Autowired
    TokenService consoleTokens;

    private final AtomicInteger lookups = new AtomicInteger();

    @Test
    void aGoodTokenIsLookedUpOnceAndARevocationCountsAtTheNextRequest() {
        MovableClock clock = new MovableClock(Instant.now());
        TokenService service = service(clock);
        Credentials user = users.create(Role.VIEWER);
        TokenService.MintedToken minted = consoleTokens.mint(user.id(), "checks", 1);

        for (int i = 0; i < 5; i++) {
            assertThat(service.authenticate(minted.token())).get().satisfies(a -> assertThat(a.getName()).isEqualTo(user.username()));
        }
        assertThat(lookups).hasValue(1);

        new TransactionTemplate(transactions).executeWithoutResult(status -> service.revoke(user.id(), minted.id()));
        assertThat(service.authenticate(minted.token())).isEmpty();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aRevocationElsewhereCountsWithinTheRecheckTime() {
        MovableClock clock = new MovableClock(Instant.now());
        TokenService service = service(clock);
        Credentials user = users.create(Role.VIEWER);
        TokenService.MintedToken minted = consoleTokens.mint(user.id(), "elsewhere", 1);
        assertThat(service.authenticate(minted.token())).isPresent();

        consoleTokens.revoke(user.id(), minted.id()); // as another console on the same database would
        clock.advance(TokenService.CHECK_AGAIN);
        assertThat(service.authenticate(minted.token())).isEmpty();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anExpiredTokenIsRefusedThoughFoundGoodMomentsBefore() {
        MovableClock clock = new MovableClock(Instant.now());
        TokenService service = service(clock);
        Credentials user = users.create(Role.VIEWER);
        TokenService.MintedToken minted = consoleTokens.mint(user.id(), "expiring", 1);
        assertThat(service.authenticate(minted.token())).isPresent();

        // a microsecond past: the database keeps times to the microsecond, rounded
        clock.advance(Duration.between(clock.instant(), minted.expiresAt()).plusNanos(1_000));
        assertThat(service.authenticate(minted.token())).isEmpty();
    }

    /** The console's token checks over the real repositories, counting the lookups of a presented token. */
    private TokenService service(Clock clock) {
        ApiTokens counted = (ApiTokens) Proxy.newProxyInstance(ApiTokens.class.getClassLoader(), new Class<?>[] {ApiTokens.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findByTokenHash")) {
                        lookups.incrementAndGet();
                    }
                    try {
                        return method.invoke(tokens, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new TokenService(counted, accounts, audit, properties, clock, transactions);
    }
}
