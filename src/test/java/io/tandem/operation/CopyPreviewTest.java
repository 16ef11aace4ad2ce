package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.tandem.ConsoleApplication;
import io.tandem.datastore.DataDirectory;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * The configuration copy previewed, chosen file by file and kept to a number of backups, against the demo lab's real
 * agents: files are changed on the active's disk as an operator's editor would. Its own context (two backups kept).
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true",
        "tandem.operations.backups.keep=2"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class CopyPreviewTest {

    private static final String SERVER_CFG = "server/etc/server.cfg";

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    DataDirectory dataDirectory;

    ClusterView hot;
    String viewer;
    String operator;
    DemoPairOperations pair;
    String active;
    String passive;
    final List<Path> created = new ArrayList<>();
    byte[] activeServerCfg;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        hot = DemoFaults.pair(fleet, "demo-hot");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        pair = new DemoPairOperations(mvc, states, journal, hot, viewer, operator);
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT));
        active = pair.nodeWithRole(NodeRole.ACTIVE);
        passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        activeServerCfg = Files.readAllBytes(home(active).resolve(SERVER_CFG));
    }

    @AfterEach
    void putTheFilesBack() throws Exception {
        Files.write(home(active).resolve(SERVER_CFG), activeServerCfg);
        Files.write(home(passive).resolve(SERVER_CFG), activeServerCfg);
        for (Path file : created) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void thePreviewShowsEachChangeWithItsDiffAndOnlyTheChosenFileIsCopied() throws Exception {
        String marker = "# preview " + UUID.randomUUID();
        Files.writeString(home(active).resolve(SERVER_CFG), new String(activeServerCfg) + marker + "\n");
        String exporters = "server/etc/exporters-" + UUID.randomUUID().toString().substring(0, 8) + ".cfg";
        write(active, exporters, "EXPORTER 10.0.0.1 v9\n");
        String same = "server/etc/same-" + UUID.randomUUID().toString().substring(0, 8) + ".cfg";
        write(active, same, "SAME 1\n");
        write(passive, same, "SAME 1\n");

        String preflight = pair.preflight("COPY_CONFIG", passive);

        assertThat(JsonPath.<List<String>>read(preflight, "$.copy.changes[*].path")).containsExactly(exporters, SERVER_CFG);
        String changedRows = "$.copy.changes[?(@.path == '" + SERVER_CFG + "')].diff.diff[?(@.change != 'SAME')].";
        assertThat(JsonPath.<List<Object>>read(preflight, changedRows + (hot.nodes().get(0).name().equals(active) ? "left" : "right")))
                .as("the line added on the active, in the server.cfg diff").containsExactly(marker);
        assertThat(JsonPath.<List<String>>read(preflight, "$.copy.changes[?(@.path == '" + exporters + "')].difference"))
                .containsExactly(hot.nodes().get(0).name().equals(active) ? "ONLY_ON_FIRST" : "ONLY_ON_SECOND");
        assertThat(JsonPath.<Integer>read(preflight, "$.copy.identical")).as("%s and the seeded files, summarised", same)
                .isGreaterThanOrEqualTo(1);
        assertThat(JsonPath.<List<String>>read(preflight, "$.copy.changes[*].path")).doesNotContain(same);
        assertThat(JsonPath.<String>read(preflight, "$.copy.restart")).startsWith("NFO on " + passive + " is restarted");

        String page = mvc.perform(get("/clusters/" + hot.id() + "/operations/new").param("kind", "COPY_CONFIG").param("node", passive)
                        .with(SecurityMockMvcRequestPostProcessors.user("o").roles("OPERATOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"copy-preview\"", "id=\"copy-restart\"", "value=\"" + exporters + "\"",
                "value=\"" + SERVER_CFG + "\"", "identical on both nodes and", marker, "name=\"choosing\"");

        OperationView done = pair.run("COPY_CONFIG", passive, passive, List.of(exporters));

        assertThat(done.status()).as(done.summary() + " " + done.steps()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps().get(0).name()).endsWith("copy only the chosen " + exporters);
        assertThat(done.steps().get(0).detail()).startsWith("1 file to copy: " + exporters + ".")
                .contains("Not chosen, left as they are: " + SERVER_CFG);
        assertThat(Files.readString(home(passive).resolve(exporters))).isEqualTo("EXPORTER 10.0.0.1 v9\n");
        assertThat(Files.readString(home(passive).resolve(SERVER_CFG))).as("not chosen, not copied").doesNotContain(marker);
        String backups = backups(passive);
        assertThat(JsonPath.<List<String>>read(backups, "$[0].files[*].path")).as("the backup holds what was replaced, only that")
                .containsExactly(exporters);
    }

    @Test
    void aChoiceOutsideTheConfigurationOrOfAFileTheCopyDoesNotWriteIsRefusedWithItsPath() throws Exception {
        for (String outside : List.of("../../etc/passwd", "/etc/shadow", "tomcat/logs/catalina.out")) {
            pair.start("COPY_CONFIG", passive, passive, List.of(outside)).andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.type").value("urn:tandem:problem:file-outside-configuration"))
                    .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'" + outside + "'")));
        }
        pair.start("COPY_CONFIG", passive, passive, List.of("server/etc/no-such.cfg")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:file-not-copied"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'server/etc/no-such.cfg'")));
        pair.start("COPY_CONFIG", passive, passive, List.of()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:no-files-chosen"));
        pair.start("RESTART_NFO", passive, passive, List.of(SERVER_CFG)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:files-not-applicable"));
        assertThat(journal.recent(hot.id(), 50)).as("nothing started").noneMatch(OperationView::running);
    }

    @Test
    void afterEachCopyTheTargetKeepsOnlyTheNewestBackups() throws Exception {
        List<String> copied = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Files.writeString(home(active).resolve(SERVER_CFG), new String(activeServerCfg) + "# retention " + i + "\n");
            OperationView done = pair.run("COPY_CONFIG", passive, passive);
            assertThat(done.status()).as(done.summary() + " " + done.steps()).isEqualTo(OperationView.Status.SUCCEEDED);
            assertThat(done.steps().get(done.steps().size() - 1).name()).isEqualTo("Keep the newest 2 configuration backups on " + passive);
            copied.add(JsonPath.read(backups(passive), "$[0].id"));
        }

        List<String> kept = JsonPath.read(backups(passive), "$[*].id");
        assertThat(kept).containsExactly(copied.get(2), copied.get(1));
        assertThat(home(passive).resolve(".tandem/backups").resolve(copied.get(0))).as("removed from the node").doesNotExist();
    }

    private String backups(String node) throws Exception {
        return mvc.perform(get("/api/v1/clusters/" + hot.id() + "/backups").param("node", node)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private Path home(String node) {
        return dataDirectory.resolve("demo").resolve(hot.name()).resolve(node);
    }

    private void write(String node, String path, String text) throws Exception {
        Path file = home(node).resolve(path);
        Files.writeString(file, text);
        created.add(file);
        created.add(home(node.equals(active) ? passive : active).resolve(path)); // a copy may have put it there too
    }
}
