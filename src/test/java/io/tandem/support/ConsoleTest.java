package io.tandem.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import io.tandem.ConsoleApplication;

/**
 * The whole console on a real embedded PostgreSQL and a real Tomcat on a random port. Every test
 * class with this annotation shares one application context (and one database), so tests use
 * their own users and names and never assume an empty database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tandem.alerts.allow-local-targets=true") // the tests' webhook receivers listen on loopback
@AutoConfigureMockMvc
@Import(TestUsers.class)
public @interface ConsoleTest {
}
