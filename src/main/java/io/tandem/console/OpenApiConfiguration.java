package io.tandem.console;

import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The REST API's OpenAPI document: every call takes a personal API token as a bearer. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Tandem API", version = "v1",
                description = "Fleet, users, tokens and audit of the Tandem console. Errors are application/problem+json "
                        + "with a stable type urn:tandem:problem:<slug>. Mint a token with HTTP Basic at POST /api/v1/tokens."),
        security = @SecurityRequirement(name = "token"))
@SecurityScheme(name = "token", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "Personal API token")
class OpenApiConfiguration {
}
