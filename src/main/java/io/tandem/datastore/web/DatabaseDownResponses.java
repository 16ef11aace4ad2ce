package io.tandem.datastore.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

import io.tandem.datastore.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request that failed because the database is not answering gets a 503 at once: a page saying so, or
 * problem+json {@code urn:tandem:problem:database-unavailable} for the API. Runs before every other
 * exception handler, so a general handler cannot turn it into a 500; other failures pass through untouched.
 */
@Component
class DatabaseDownResponses implements HandlerExceptionResolver, Ordered {

    static final String PROBLEM_TYPE = "urn:tandem:problem:database-unavailable";
    static final int RETRY_AFTER_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(DatabaseDownResponses.class);
    private static final String PROBLEM = """
            {"type":"%s","title":"Service Unavailable","status":503,\
            "detail":"The database is not answering. Nothing was changed; try again in a moment."}""".formatted(PROBLEM_TYPE);

    private final ITemplateEngine templates;
    private volatile JakartaServletWebApplication application;

    DatabaseDownResponses(ITemplateEngine templates) {
        this.templates = templates;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // after Boot's DefaultErrorAttributes, which only records the error
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception failure) {
        if (!DatabaseUnavailable.isCause(failure) || response.isCommitted()) {
            return null;
        }
        try {
            write(request, response, failure);
            return new ModelAndView();
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes the 503; the caller has checked that the database is the cause and nothing was sent yet. */
    void write(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException {
        log.warn("{} {}: the database is not answering ({})", request.getMethod(), request.getRequestURI(), rootMessage(failure));
        response.resetBuffer();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (wantsProblem(request)) {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write(PROBLEM);
        } else {
            response.setContentType(MediaType.TEXT_HTML_VALUE);
            WebContext context = new WebContext(application(request).buildExchange(request, response), request.getLocale());
            context.setVariable("retry", request.getRequestURI());
            templates.process("datastore/unavailable", context, response.getWriter());
        }
        response.flushBuffer();
    }

    private JakartaServletWebApplication application(HttpServletRequest request) {
        JakartaServletWebApplication built = application;
        if (built == null) {
            built = JakartaServletWebApplication.buildApplication(request.getServletContext());
            application = built;
        }
        return built;
    }

    private static boolean wantsProblem(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/")
                || accept != null && accept.contains("json") && !accept.contains("text/html");
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
