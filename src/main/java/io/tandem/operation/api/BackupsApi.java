package io.tandem.operation.api;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.node.config.BackupInfo;
import io.tandem.operation.ConfigBackups;

@RestController
@Tag(name = "Operations")
class BackupsApi {

    private final ConfigBackups backups;

    BackupsApi(ConfigBackups backups) {
        this.backups = backups;
    }

    @GetMapping("/api/v1/clusters/{id}/backups")
    @Operation(summary = "A node's configuration backups, newest first, each with its time and the files' hashes before "
            + "the change; ROLLBACK_CONFIG restores the newest")
    List<BackupInfo> list(@PathVariable UUID id, @RequestParam String node) throws Exception {
        return backups.list(id, node);
    }
}
