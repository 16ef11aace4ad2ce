package io.tandem.fleet.api;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;

@RestController
@RequestMapping("/api/v1/clusters")
@Tag(name = "Fleet", description = "HA pairs and their two nodes. Reading needs VIEWER, changing needs ADMIN.")
class ClustersApi {

    private final FleetService fleet;
    private final ClusterListJson listJson;

    ClustersApi(FleetService fleet, ClusterListJson listJson) {
        this.fleet = fleet;
        this.listJson = listJson;
    }

    @GetMapping
    @Operation(summary = "All registered pairs, by name", responses = @ApiResponse(responseCode = "200", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = ClusterView.class)))))
    ResponseEntity<byte[]> list() {
        // written once per change of the fleet and shared (ClusterListJson)
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(listJson.list());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One pair; the ETag carries its version for If-Match on PUT")
    ResponseEntity<ClusterView> get(@PathVariable UUID id) {
        ClusterView view = fleet.get(id);
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    @PostMapping
    @Operation(summary = "Register a pair with exactly two nodes; omitted settings take their defaults")
    ResponseEntity<ClusterView> create(@RequestBody ClusterSpec spec) {
        ClusterView view = fleet.create(spec);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + view.id())).eTag(etag(view)).body(view);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace a pair's settings; a node credential left out is kept. "
            + "With If-Match, refused (409) when the pair changed since that version")
    ResponseEntity<ClusterView> update(@PathVariable UUID id, @RequestBody ClusterSpec spec,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ClusterView view = fleet.update(id, spec, expectedVersion(ifMatch));
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    /** The body of {@code PUT .../drift-ignore}. */
    record DriftIgnore(java.util.List<String> globs) {
    }

    @PutMapping("/{id}/drift-ignore")
    @Operation(summary = "Replace the globs of configuration files allowed to differ between the pair's nodes "
            + "(e.g. server/etc/license.key); matching files are listed as ignored, not as drift. "
            + "With If-Match, refused (409) when the pair changed since that version")
    ResponseEntity<ClusterView> ignoreDrift(@PathVariable UUID id, @RequestBody DriftIgnore body,
                                            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        if (body == null || body.globs() == null) {
            throw Rejected.invalid("invalid-drift-ignore", "globs", "Give 'globs': a list of path globs (empty to ignore nothing).");
        }
        ClusterView view = fleet.ignoreDrift(id, body.globs(), expectedVersion(ifMatch));
        return ResponseEntity.ok().eTag(etag(view)).body(view);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a pair from the fleet (the nodes themselves are not touched)")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        fleet.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static String etag(ClusterView view) {
        return "\"" + view.version() + "\"";
    }

    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Rejected.invalid("invalid-if-match", "If-Match", "If-Match must be the ETag of a GET, e.g. \"3\".");
        }
    }
}
