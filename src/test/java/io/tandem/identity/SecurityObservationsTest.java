package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.util.ReflectionTestUtils;

import io.tandem.support.ConsoleTest;

/**
 * Spring Security's filters run without an observation wrapped around each of them (nothing reads those; they were a
 * part of every request's cost under load), while the requests' own metrics stay.
 */
@ConsoleTest
class SecurityObservationsTest {

    @Autowired
    FilterChainProxy filters;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    org.springframework.test.web.servlet.MockMvc mvc;

    @Test
    void noFilterIsWrappedInAnObservationAndRequestsAreStillTimed() throws Exception {
        assertThat(ReflectionTestUtils.getField(filters, "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);

        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/login"));
        assertThat(meters.find("http.server.requests").timers()).isNotEmpty();
    }
}
