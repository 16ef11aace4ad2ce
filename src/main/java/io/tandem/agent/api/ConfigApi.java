package io.tandem.agent.api;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.AgentConfig;
import io.tandem.agent.BodyTooLargeException;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.ConfigProblems;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ConfigStore;
import io.tandem.node.config.ManifestCache;

/**
 * NFO's configuration files on this node: manifest, one file, and changes staged, committed
 * (atomically, with a backup) and rolled back. Every refusal changes nothing and says why.
 */
@RestController
class ConfigApi {

    record StageResult(String changeId, List<String> staged) {
    }

    private final AgentConfig config;
    private final Clock clock;
    private final JsonMapper json;
    /** For the agent's life: a manifest re-hashes only the files that changed since the last one. */
    private final ManifestCache hashes;

    ConfigApi(AgentConfig config, Clock clock, JsonMapper json) {
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.hashes = new ManifestCache(Clock.systemUTC()); // compared with file times, which the kernel takes from its clock
    }

    @GetMapping(AgentProtocol.CONFIG_MANIFEST)
    ConfigManifest manifest() throws ConfigRefusedException {
        return store().manifest(hashes);
    }

    @GetMapping(AgentProtocol.CONFIG_FILE)
    ConfigFile file(@RequestParam String path) throws ConfigRefusedException {
        return store().read(path, config.limits().maxFileReadBytes());
    }

    /**
     * One change as the console uploads it ({@code {"files": [StagedFile...]}}, each with the hash it must have on
     * arrival), streamed to the staging area rather than bound to objects: see {@link StageBody}.
     */
    @PostMapping(AgentProtocol.CONFIG_CHANGES + "/{changeId}")
    StageResult stage(@PathVariable String changeId, HttpServletRequest request)
            throws ConfigRefusedException, IOException {
        try {
            return new StageResult(changeId, store().stage(changeId, new StageBody(request.getInputStream(), json)));
        } catch (ConfigRefusedException e) {
            if (e.getCause() instanceof BodyTooLargeException tooLarge) {
                throw tooLarge; // the request's limit, answered like any other over-long body
            }
            throw e;
        }
    }

    @PostMapping(AgentProtocol.CONFIG_CHANGES + "/{changeId}/commit")
    CommitResult commit(@PathVariable String changeId) throws ConfigRefusedException {
        return store().commit(changeId);
    }

    @GetMapping(AgentProtocol.CONFIG_BACKUPS)
    List<BackupInfo> backups() throws ConfigRefusedException {
        return store().backups();
    }

    @PostMapping(AgentProtocol.CONFIG_BACKUPS + "/{backupId}/rollback")
    CommitResult rollback(@PathVariable String backupId) throws ConfigRefusedException {
        return store().rollback(backupId);
    }

    @PostMapping(AgentProtocol.CONFIG_BACKUPS_PRUNE)
    List<String> prune(@RequestParam int keep) throws ConfigRefusedException {
        return store().pruneBackups(keep);
    }

    /** Built per request: NFO may be installed after the agent starts, and the store holds no state of its own. */
    private ConfigStore store() throws ConfigRefusedException {
        AgentConfig.Nfo nfo = config.nfo();
        ConfigScope scope = new ConfigScope(nfo.home(), nfo.configInclude(), nfo.configExclude(), ConfigScope.DEFAULT_MAX_FILES,
                config.limits().maxFileReadBytes());
        return new ConfigStore(scope, clock, config.limits().maxUploadBytes());
    }

    @ExceptionHandler(ConfigRefusedException.class)
    ResponseEntity<ProblemDetail> refused(ConfigRefusedException e) {
        HttpStatus status = switch (e.reason()) {
            case OUTSIDE_ROOTS -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case NOT_A_REGULAR_FILE, INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
            case HASH_MISMATCH -> HttpStatus.UNPROCESSABLE_CONTENT;
            case ALREADY_EXISTS, BUSY -> HttpStatus.CONFLICT;
            case APPLY_FAILED, RESTORE_INCOMPLETE, IO_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setType(URI.create(AgentProtocol.problemType(ConfigProblems.slug(e.reason()))));
        problem.setProperty("path", e.path());
        return ResponseEntity.status(status).body(problem);
    }
}
