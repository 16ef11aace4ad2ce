package io.tandem.console;

import java.util.Map;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.context.IWebContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.spring6.SpringTemplateEngine;

/**
 * Lets templates rendered outside a request (the panels pushed to open pages) use context-relative links
 * ({@code @{/clusters/...}}): Thymeleaf's own link builder refuses them without a servlet request, which made every
 * push of a panel with such a link fail. Off-request links are resolved against the configured context path.
 */
@Component
class OffRequestLinks implements BeanPostProcessor {

    private final String contextPath;

    OffRequestLinks(@Value("${server.servlet.context-path:}") String contextPath) {
        this.contextPath = contextPath.endsWith("/") ? contextPath.substring(0, contextPath.length() - 1) : contextPath;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SpringTemplateEngine engine) {
            engine.setLinkBuilder(new Builder(contextPath));
        }
        return bean;
    }

    static final class Builder extends StandardLinkBuilder {

        private final String contextPath;

        Builder(String contextPath) {
            this.contextPath = contextPath;
        }

        @Override
        protected String computeContextPath(IExpressionContext context, String base, Map<String, Object> parameters) {
            return context instanceof IWebContext ? super.computeContextPath(context, base, parameters) : contextPath;
        }
    }
}
