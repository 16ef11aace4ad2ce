package io.tandem.console.web;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.ViewResolver;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.util.HtmlUtils;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Pages drawn once per change of what they show and handed to every request until the next change: between two
 * changes, 200 browsers asking for the overview would each get the same HTML but for their own name and CSRF token,
 * and drawing the layout and the page is most of such a request's cost.
 * <p>
 * A drawing is kept per page, per what the page shows ({@code shows}: the caller's key of the data, compared with
 * {@code equals}) and per set of roles, so the controls a role may see are never drawn for another. The two parts that
 * belong to one user are drawn as random markers and replaced in each copy: the user's name (HTML-escaped) and the CSRF
 * token of this request (the one Spring Security would have put in the page: in the page's htmx headers and in each
 * form's hidden field). A request with flash attributes (a page after a redirect with a message) is drawn for itself.
 * Presenting reads what the modules judged; it never changes it.
 */
@Component
public class SharedPages {

    /** Drawn in place of the user's CSRF token and name; random per start, so no page content can spell them. */
    static final String TOKEN_MARKER = "tandem-csrf-" + UUID.randomUUID().toString().replace("-", "");
    static final String NAME_MARKER = "tandem-user-" + UUID.randomUUID().toString().replace("-", "");
    /**
     * Put in a page's model where a part of its own goes, drawn apart and more often than the page (a pair's health
     * panel): the page is drawn once around it and each copy gets the part as it is then.
     */
    public static final String SLOT = "tandem-slot-" + UUID.randomUUID().toString().replace("-", "");
    private static final List<String> MARKERS = List.of(TOKEN_MARKER, NAME_MARKER, SLOT);

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    /** Drawings kept at most (pages × pairs × filters × role sets); past this the cache starts over rather than grow. */
    private static final int MAX_KEPT = 2048;

    /** Which drawing: the page (view and its subject, a pair's id or a filter), for which roles, in which language. */
    private record Slot(String view, Object subject, List<String> roles, Locale locale) {
    }

    /**
     * A drawn page as UTF-8 bytes, cut where the markers were: a copy is the parts with each one's user's token, name
     * or slot between them, without searching or encoding the page again.
     */
    record Drawn(List<byte[]> parts, List<String> between) {

        static Drawn of(String html) {
            List<byte[]> parts = new ArrayList<>();
            List<String> between = new ArrayList<>();
            int from = 0;
            while (true) {
                int at = -1;
                String marker = null;
                for (String candidate : MARKERS) {
                    int found = html.indexOf(candidate, from);
                    if (found >= 0 && (at < 0 || found < at)) {
                        at = found;
                        marker = candidate;
                    }
                }
                if (marker == null) {
                    parts.add(html.substring(from).getBytes(StandardCharsets.UTF_8));
                    return new Drawn(List.copyOf(parts), List.copyOf(between));
                }
                parts.add(html.substring(from, at).getBytes(StandardCharsets.UTF_8));
                between.add(marker);
                from = at + marker.length();
            }
        }

        byte[] copy(String token, String name, String slot) {
            byte[][] values = new byte[between.size()][];
            int length = 0;
            for (int i = 0; i < between.size(); i++) {
                String marker = between.get(i);
                String value = marker.equals(TOKEN_MARKER) ? token : marker.equals(NAME_MARKER) ? name : slot;
                values[i] = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
                length += values[i].length;
            }
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] page = new byte[length];
            int at = 0;
            for (int i = 0; i < parts.size(); i++) {
                System.arraycopy(parts.get(i), 0, page, at, parts.get(i).length);
                at += parts.get(i).length;
                if (i < values.length) {
                    System.arraycopy(values[i], 0, page, at, values[i].length);
                    at += values[i].length;
                }
            }
            return page;
        }
    }

    /** One drawing per slot, good while the page shows what it was drawn from. */
    private final DrawnOnce<Slot, Object, Drawn> drawings = new DrawnOnce<>(Objects::equals, kept -> {
        if (kept.size() > MAX_KEPT) {
            kept.clear();
        }
    });
    private final java.util.concurrent.atomic.AtomicLong drawnCount = new java.util.concurrent.atomic.AtomicLong();
    private final ViewResolver views;

    SharedPages(@org.springframework.beans.factory.annotation.Qualifier("thymeleafViewResolver") ViewResolver views) {
        this.views = views;
    }

    /**
     * The page {@code view} about {@code subject} showing {@code shows}, drawn with {@code model} (the page's own
     * variables with the console's shell's) unless a drawing of the same data for the same roles is kept.
     */
    public ResponseEntity<byte[]> page(HttpServletRequest request, HttpServletResponse response, String view, Object subject,
                                       Object shows, Map<String, ?> model) {
        return page(request, response, view, subject, shows, model, null);
    }

    /** As {@link #page(HttpServletRequest, HttpServletResponse, String, Object, Object, Map)}, with {@code slot} put where the model has {@link #SLOT}. */
    public ResponseEntity<byte[]> page(HttpServletRequest request, HttpServletResponse response, String view, Object subject,
                                       Object shows, Map<String, ?> model, String slot) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        byte[] page;
        if (user == null || token == null || hasFlash(request)) {
            page = Drawn.of(draw(request, response, view, model, user, token, false)).copy(null, null, slot);
        } else {
            page = shared(request, response, view, subject, shows, model, user, token)
                    .copy(HtmlUtils.htmlEscape(token.getToken()), HtmlUtils.htmlEscape(user.getName()), slot);
        }
        return ResponseEntity.ok().contentType(HTML).body(page);
    }

    /** How many pages were drawn since the start (one per change and role set, however many requests). */
    public long drawn() {
        return drawnCount.get();
    }

    private Drawn shared(HttpServletRequest request, HttpServletResponse response, String view, Object subject, Object shows,
                          Map<String, ?> model, Authentication user, CsrfToken token) {
        Slot slot = new Slot(view, subject, roles(user), RequestContextUtils.getLocale(request));
        return drawings.get(slot, shows, () -> Drawn.of(draw(request, response, view, model, user, token, true)));
    }

    private static List<String> roles(Authentication user) {
        return user.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().distinct().toList();
    }

    private static boolean hasFlash(HttpServletRequest request) {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        return flash != null && !flash.isEmpty();
    }

    /**
     * Draws the page into a string. Shared, the request it is drawn in hands the templates a marker for its CSRF token
     * and the user's name, so nothing of this user stays in the drawing.
     */
    private String draw(HttpServletRequest request, HttpServletResponse response, String view, Map<String, ?> model,
                        Authentication user, CsrfToken token, boolean shared) {
        drawnCount.incrementAndGet();
        Map<String, Object> variables = new java.util.HashMap<>(model);
        variables.put(CurrentRole.CURRENT_USER, shared ? NAME_MARKER : user == null ? null : user.getName());
        HttpServletRequest drawnIn = shared ? new MarkedRequest(request, new DefaultCsrfToken(token.getHeaderName(),
                token.getParameterName(), TOKEN_MARKER)) : request;
        Capture capture = new Capture(response);
        try {
            View resolved = views.resolveViewName(view, RequestContextUtils.getLocale(request));
            if (resolved == null) {
                throw new IllegalStateException("no view " + view);
            }
            resolved.render(variables, drawnIn, capture);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("drawing " + view + " failed", e);
        }
        return capture.text();
    }

    /** The request a shared page is drawn in: its CSRF token is the marker. */
    private static final class MarkedRequest extends HttpServletRequestWrapper {

        private final CsrfToken marker;

        MarkedRequest(HttpServletRequest request, CsrfToken marker) {
            super(request);
            this.marker = marker;
        }

        @Override
        public Object getAttribute(String name) {
            if (CsrfToken.class.getName().equals(name) || "_csrf".equals(name)) {
                return marker;
            }
            return super.getAttribute(name);
        }
    }

    /** Collects what the view writes instead of sending it; headers it sets still go to the response. */
    private static final class Capture extends HttpServletResponseWrapper {

        private final StringWriter text = new StringWriter(16 * 1024);
        private final PrintWriter writer = new PrintWriter(text);

        Capture(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    throw new UnsupportedOperationException("pages are drawn as text");
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public void flushBuffer() {
            writer.flush();
        }

        @Override
        public void resetBuffer() {
            writer.flush();
            text.getBuffer().setLength(0);
        }

        @Override
        public void reset() {
            resetBuffer();
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        String text() {
            writer.flush();
            return text.toString();
        }
    }
}
