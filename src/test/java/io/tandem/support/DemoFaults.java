package io.tandem.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;

/** The demo lab as tests drive it: its pairs, and faults through the public API (as an operator would). */
public final class DemoFaults {

    private DemoFaults() {
    }

    /** A demo pair by name ({@code demo-hot} or {@code demo-cold}). */
    public static ClusterView pair(FleetService fleet, String name) {
        return fleet.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** {@code POST /api/v1/demo/faults}; the demo accepts the fault (202). */
    public static void inject(MockMvc mvc, String operatorToken, String cluster, String node, String fault) throws Exception {
        mvc.perform(post("/api/v1/demo/faults").header(HttpHeaders.AUTHORIZATION, "Bearer " + operatorToken)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cluster\": \"" + cluster + "\", \"node\": \"" + node + "\", \"fault\": \"" + fault + "\"}"))
                .andExpect(status().isAccepted());
    }

    /** {@code DELETE /api/v1/demo/faults}: every fault healed (204). */
    public static void healAll(MockMvc mvc, String operatorToken) throws Exception {
        mvc.perform(delete("/api/v1/demo/faults").header(HttpHeaders.AUTHORIZATION, "Bearer " + operatorToken))
                .andExpect(status().isNoContent());
    }
}
