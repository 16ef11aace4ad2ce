package io.tandem.setup.web;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.setup.Adoption;
import io.tandem.setup.AdoptionService;

/**
 * The wizard's adopt fields: none for the proposal; for an acceptance the proposal's token, the mapping as shown
 * (editable) and the pair's name typed as the confirmation.
 */
record AdoptForm(Boolean accept, String confirm, String token, String mode, String nfoResource, String vipResource,
                 String gateResource, String drbdResource) {

    AdoptionService.Request toRequest(ClusterView cluster) {
        if (!Boolean.TRUE.equals(accept)) {
            return null;
        }
        if (confirm == null || !confirm.strip().equals(cluster.name())) {
            throw Rejected.invalid("confirmation-mismatch", "confirm", "Type the pair's name, " + cluster.name()
                    + ", to save this mapping into it.");
        }
        ClusterMode parsed;
        try {
            parsed = mode == null || mode.isBlank() ? null : ClusterMode.valueOf(mode.strip());
        } catch (IllegalArgumentException e) {
            throw Rejected.invalid("invalid-adoption", "mapping.mode", "Choose the mode: HOT or COLD.");
        }
        return new AdoptionService.Request(true, token, new Adoption.Mapping(parsed, nfoResource, vipResource, gateResource,
                drbdResource));
    }
}
