package io.tandem.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairStates;
import io.tandem.support.ConsoleTest;

/**
 * The page pushes stop and start again (Spring pauses and resumes a cached test context this way): a push queued
 * when they stopped never ran, and its pair must still be pushed after the restart.
 */
@ConsoleTest
class PairStreamRestartTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    HealthPanels panels;
    @Autowired
    Clock clock;
    @Autowired
    StreamBeats beats;

    @Test
    void aPairWhosePushWasQueuedWhenThePushesStoppedIsPushedAfterTheyStartAgain() throws Exception {
        PairStream stream = new PairStream(panels, fleet, states, clock, beats);
        stream.start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            // two browsers that take no push: both pushing threads wait in their sends
            Semaphore waiting = new Semaphore(0);
            for (int i = 1; i <= 2; i++) {
                ClusterView stuck = pair(i);
                stream.open(stuck.id(), new SseEmitter() {
                    @Override
                    public void send(SseEventBuilder builder) throws java.io.IOException {
                        if (text(builder).contains("event:health")) {
                            waiting.release();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new java.io.IOException("stopped while sending", e);
                            }
                        }
                    }
                });
                stream.observed(stuck.id());
            }
            assertThat(waiting.tryAcquire(2, 20, TimeUnit.SECONDS)).as("both pushing threads wait on a browser").isTrue();
            ClusterView queued = pair(3);
            stream.open(queued.id(), new SseEmitter());
            stream.observed(queued.id()); // queued behind the two, and dropped by the stop
            stream.stop();
            release.countDown();

            stream.start();
            LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
            stream.open(queued.id(), new SseEmitter() {
                @Override
                public void send(SseEventBuilder builder) {
                    sent.add(text(builder));
                }
            });
            stream.observed(queued.id());
            String pushed = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && (pushed == null || !pushed.contains("event:health"))) { // beats come too
                pushed = sent.poll(1, TimeUnit.SECONDS);
            }
            assertThat(pushed).as("the pair's panel is pushed after the restart").isNotNull().contains("event:health").contains("id=\"health\"");
        } finally {
            release.countDown();
            stream.stop();
        }
    }

    private ClusterView pair(int n) {
        return fleet.create(new ClusterSpec("restart-" + n + "-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT,
                null, null, null, null, null, List.of(FleetRulesTest.node("nfo-a", "10.7." + (10 + n) + ".1"),
                        FleetRulesTest.node("nfo-b", "10.7." + (10 + n) + ".2"))));
    }

    private static String text(SseEmitter.SseEventBuilder builder) {
        StringBuilder text = new StringBuilder();
        builder.build().forEach(part -> text.append(part.getData()));
        return text.toString();
    }
}
