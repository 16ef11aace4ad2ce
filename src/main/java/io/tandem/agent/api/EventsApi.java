package io.tandem.agent.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletResponse;

import io.tandem.agent.AgentConfig;
import io.tandem.agent.AgentEvents;
import io.tandem.agent.wire.AgentProtocol;

/**
 * {@code GET /v1/events}: the change feed as a server-sent event stream. The stream is written on the
 * request's own thread (blocking, one thread per subscriber, bounded by {@code events.max-subscribers}),
 * which keeps the flow plain: wait for an event or the heartbeat time, write, flush, repeat.
 */
@RestController
class EventsApi {

    private final AgentEvents events;
    private final Duration heartbeat;

    EventsApi(AgentEvents events, AgentConfig config) {
        this.events = events;
        this.heartbeat = config.events().heartbeat();
    }

    @GetMapping(path = AgentProtocol.EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void stream(@RequestHeader(name = AgentProtocol.LAST_EVENT_ID, required = false) String lastEventId,
                HttpServletResponse response) throws IOException, AgentEvents.TooManySubscribers {
        try (AgentEvents.Subscription subscription = events.subscribe(lastEventId)) {
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            OutputStream out = response.getOutputStream();
            write(out, ": tandem agent event stream\n\n");
            while (!subscription.ended()) {
                AgentEvents.Event event = subscription.next(heartbeat);
                if (event != null) {
                    write(out, SseFormat.event(event.id(), event.type(), event.data()));
                } else if (!subscription.ended()) {
                    write(out, ": heartbeat\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The subscriber went away; that is how every stream ends for it.
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
