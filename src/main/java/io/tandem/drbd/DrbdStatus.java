package io.tandem.drbd;

import java.util.List;
import java.util.Optional;

/** The DRBD resources of one node, whichever output they were read from. */
public record DrbdStatus(List<DrbdResource> resources) {

    public DrbdStatus {
        resources = List.copyOf(resources);
    }

    public Optional<DrbdResource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public boolean isHealthy() {
        return resources.stream().noneMatch(DrbdResource::isDegraded);
    }
}
