package io.tandem.fleet.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of {@code GET /api/v1/clusters}, written once per reading of the fleet and handed to every client until the
 * fleet changes: between two changes every client would get the same bytes, and writing the list of all pairs was a
 * quarter of the API's cost under load. A new reading that holds the same pairs (the fleet is read again every
 * couple of seconds) keeps the bytes; any difference in any pair writes them anew. The list carries no credential and
 * is the same for every role that may read it.
 */
@Component
class ClusterListJson {

    /** One writing: good while the fleet holds exactly the pairs it was written from. */
    private record Written(List<ClusterView> fleet, byte[] json) {
    }

    private final FleetService fleet;
    private final JsonMapper json;
    private final AtomicReference<Written> last = new AtomicReference<>();
    private final AtomicLong writings = new AtomicLong();

    ClusterListJson(FleetService fleet, JsonMapper json) {
        this.fleet = fleet;
        this.json = json;
    }

    /** Every pair as last read, by name, as JSON (UTF-8); the caller must not change the bytes. */
    byte[] list() {
        List<ClusterView> now = fleet.list();
        Written written = last.get();
        if (written != null && (written.fleet() == now || written.fleet().equals(now))) {
            return written.json();
        }
        writings.incrementAndGet();
        Written fresh = new Written(now, json.writeValueAsBytes(now));
        last.set(fresh);
        return fresh.json();
    }

    /** How many times the list was written since the start (once per change of the fleet, however many clients). */
    long writings() {
        return writings.get();
    }
}
