package io.tandem.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP endpoint on loopback that records every webhook POSTed to it and answers 204. */
public final class WebhookReceiver implements AutoCloseable {

    /** One call: its body and the signature header it carried (null when unsigned). */
    public record Call(String body, String signature) {
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    /** @param signatureHeader the header that carries the payload's signature */
    public WebhookReceiver(String signatureHeader) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            calls.add(new Call(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(signatureHeader)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next call, or null when none arrives within the time given. */
    public Call next(long seconds) throws InterruptedException {
        return calls.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
