package io.tandem.datastore.web;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.tandem.datastore.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The same 503 for failures outside the controllers, such as looking up an API token or a session's user
 * in the security filters, which otherwise become a bare 500. Sits before the security filters.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DatabaseDownFilter extends OncePerRequestFilter {

    private final DatabaseDownResponses responses;

    DatabaseDownFilter(DatabaseDownResponses responses) {
        this.responses = responses;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!DatabaseUnavailable.isCause(e) || response.isCommitted()) {
                throw e;
            }
            responses.write(request, response, e);
        }
    }
}
