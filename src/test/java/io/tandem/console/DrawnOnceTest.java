package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tandem.console.web.DrawnOnce;

/** Drawn once per key and version for everyone asking meanwhile; a new version draws again; a failure is not kept. */
class DrawnOnceTest {

    @Test
    void askersDuringADrawingWaitForItAndANewVersionDrawsAgain() throws Exception {
        DrawnOnce<String, Integer, String> drawn = new DrawnOnce<>(Integer::equals, d -> { });
        AtomicInteger drawings = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService askers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(askers.submit(() -> drawn.get("pair", 1, () -> {
                    drawings.incrementAndGet();
                    await(release);
                    return "v1";
                })));
            }
            Thread.sleep(200); // every asker is in: one draws, the others wait
            release.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
            }
        } finally {
            askers.shutdownNow();
        }
        assertThat(drawings).hasValue(1);
        assertThat(drawn.get("pair", 2, () -> "v2")).isEqualTo("v2");
        assertThat(drawn.get("pair", 2, () -> "drawn again")).isEqualTo("v2");
    }

    @Test
    void aFailedDrawingIsNotKept() {
        DrawnOnce<String, Integer, String> drawn = new DrawnOnce<>(Integer::equals, d -> { });
        assertThatThrownBy(() -> drawn.get("pair", 1, () -> {
            throw new IllegalStateException("template broke");
        })).hasMessage("template broke");
        assertThat(drawn.size()).isZero();
        assertThat(drawn.get("pair", 1, () -> "drawn")).isEqualTo("drawn");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
