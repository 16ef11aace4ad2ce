package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Password checks run a few at a time, whatever the number of logins arriving at once, and still answer correctly. */
class BoundedPasswordEncoderTest {

    @Test
    void noMoreChecksRunAtOnceThanAllowedAndEveryOneIsAnswered() throws Exception {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        String hash = bcrypt.encode("right password");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch crowd = new CountDownLatch(1);
        PasswordEncoder watched = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return bcrypt.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    crowd.await(10, TimeUnit.SECONDS); // hold the check until everyone has arrived
                    return bcrypt.matches(raw, encoded);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    inside.decrementAndGet();
                }
            }
        };
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(watched, 2, Duration.ofSeconds(30));
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService logins = Executors.newFixedThreadPool(12, r -> {
            Thread thread = new Thread(r);
            threads.add(thread);
            return thread;
        });
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String password = i % 3 == 0 ? "wrong password" : "right password";
                answers.add(logins.submit(() -> bounded.matches(password, hash)));
            }
            // the whole crowd has arrived: two checks held inside, ten waiting their turn (all parked with a timeout)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (threads.size() < 12
                    || !threads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING))) {
                Thread.sleep(10);
            }
            assertThat(inside.get()).isEqualTo(2);
            crowd.countDown();
            for (int i = 0; i < 12; i++) {
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).as("login %d", i).isEqualTo(i % 3 != 0);
            }
        } finally {
            logins.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aCheckThatWaitsTooLongIsAServiceFailureNotAWrongPassword() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger checked = new AtomicInteger();
        PasswordEncoder slow = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return raw.toString();
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                checked.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return raw.toString().equals(encoded);
            }
        };
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(slow, 1, Duration.ofMillis(200));
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> held = first.submit(() -> bounded.matches("secret", "secret"));
            while (checked.get() == 0) {
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> bounded.matches("secret", "secret"))
                    .isInstanceOf(AuthenticationServiceException.class).hasMessageContaining("busy");
            assertThatThrownBy(() -> bounded.encode("secret")).isInstanceOf(AuthenticationServiceException.class);
            assertThat(checked).as("the refused ones never reached the encoder").hasValue(1);
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.shutdownNow();
        }
        assertThat(bounded.matches("secret", "secret")).as("free again").isTrue();
    }
}
