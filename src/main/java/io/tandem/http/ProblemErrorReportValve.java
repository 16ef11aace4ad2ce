package io.tandem.http;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error report, for requests it refuses before the application sees them (an encoded {@code /}, a
 * {@code %00}, a backslash or a bad escape in the path): problem+json with the application's problem type for the
 * status, instead of Tomcat's HTML page. Paths the {@code problems} test rejects keep Tomcat's plain page, without
 * server name or report. Errors raised inside the application never get here: its error page answers them.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Predicate<String> problems;
    private final IntFunction<String> type;

    /**
     * @param problems which request paths (as sent, not decoded) are answered with problem+json
     * @param type the problem type URI for a status
     */
    public ProblemErrorReportValve(Predicate<String> problems, IntFunction<String> type) {
        this.problems = problems;
        this.type = type;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Installs the valve on the factory's host in place of every other error report valve: Spring Boot adds its own
     * (without server info) while the context is prepared, and the host adds its configured class when it starts
     * unless a valve of that class is already there. So, just before the host starts: remove the others, add ours.
     */
    public static void install(TomcatServletWebServerFactory factory, Predicate<String> problems, IntFunction<String> type) {
        // The HTTP parser refuses a raw backslash before the path is even known; let it through to the URI
        // normalisation, which refuses it too (allowBackslash stays false), knowing the path it answers for.
        factory.addConnectorCustomizers(connector -> connector.setProperty("relaxedPathChars", "\\"));
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            host.addLifecycleListener(event -> {
                if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    return;
                }
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
                host.getPipeline().addValve(new ProblemErrorReportValve(problems, type));
            });
        });
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        String path = request.getRequestURI();
        if (status < 400 || response.getContentWritten() > 0 || !problems.test(path == null ? "" : path)) {
            super.report(request, response, throwable);
            return;
        }
        if (!response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.apply(status));
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", status == 400
                ? "The request is not valid HTTP for this server: the path may hold an encoded '/', a NUL, a backslash"
                        + " or a broken %-escape."
                : "The server refused the request before it reached the application.");
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer already started: nothing more can be said
        }
    }
}
