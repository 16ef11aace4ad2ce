package io.tandem.agent;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

class RateLimitFilterTest {

    private final AtomicLong nanos = new AtomicLong();

    @RestController
    static class Ok {
        @GetMapping("/v1/health")
        String health() {
            return "{}";
        }
    }

    @Test
    void eachAddressGetsItsOwnBucketWhichRefillsOverTime() throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new Ok()).addFilters(new RateLimitFilter(2, nanos::get)).build();

        mvc.perform(get("/v1/health").with(from("192.0.2.1"))).andExpect(status().isOk());
        mvc.perform(get("/v1/health").with(from("192.0.2.1"))).andExpect(status().isOk());
        mvc.perform(get("/v1/health").with(from("192.0.2.1")))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.type").value("urn:tandem:agent:problem:rate-limited"));
        mvc.perform(get("/v1/health").with(from("192.0.2.2"))).andExpect(status().isOk());

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        mvc.perform(get("/v1/health").with(from("192.0.2.1"))).andExpect(status().isOk());
    }

    @Test
    void zeroTurnsTheLimitOff() throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new Ok()).addFilters(new RateLimitFilter(0, nanos::get)).build();
        for (int i = 0; i < 100; i++) {
            mvc.perform(get("/v1/health")).andExpect(status().isOk());
        }
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
