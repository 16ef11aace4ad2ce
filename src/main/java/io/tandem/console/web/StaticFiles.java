package io.tandem.console.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The console's own files and the webjars, each under its own path; Spring Boot's catch-all {@code /**} handler is
 * off ({@code spring.web.resources.add-mappings=false}). With the catch-all, every link a page draws
 * ({@code @{/clusters/...}}) was looked up as a file in four classpath locations to see whether it needed a version
 * (a miss is not cached): most of a page's CPU under load. Now only links under these paths are looked up.
 */
@Configuration(proxyBeanMethods = false)
class StaticFiles implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        for (String folder : new String[] {"css", "js", "img"}) {
            registry.addResourceHandler("/" + folder + "/**").addResourceLocations("classpath:/static/" + folder + "/");
        }
        // version-less webjar links resolve to the version on the classpath, in pages (rewritten) and when served
        registry.addResourceHandler("/webjars/**").addResourceLocations("classpath:/META-INF/resources/webjars/")
                .resourceChain(true).addResolver(new LiteWebJarsResourceResolver());
    }
}
