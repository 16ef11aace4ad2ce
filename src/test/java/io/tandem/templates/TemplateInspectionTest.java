package io.tandem.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.identity.Role;
import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

@ConsoleTest
class TemplateInspectionTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    /** An IPFIX template packet from the simulator, uploaded as a raw payload file. */
    private static byte[] ipfixTemplates() {
        SimulatedExporter exporter = new SimulatedExporter(10, 42, 3, 7);
        return exporter.templatePackets(1_000).get(0);
    }

    @Test
    void theApiListsTheTemplatesOfARawPayloadForTheGivenExporter() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        mvc.perform(multipart("/api/v1/templates/inspect")
                        .file(new MockMultipartFile("file", "templates.bin", "application/octet-stream", ipfixTemplates()))
                        .param("exporter", "192.0.2.7")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.file").value("templates.bin"))
                .andExpect(jsonPath("$.packets").value(1))
                .andExpect(jsonPath("$.templates[0].exporter").value("192.0.2.7"))
                .andExpect(jsonPath("$.templates[0].domain").value(42))
                .andExpect(jsonPath("$.templates[0].kind").value("IPFIX"))
                .andExpect(jsonPath("$.templates[0].templateId").value(SimulatedExporter.FIRST_TEMPLATE_ID));
    }

    @Test
    void hostileUploadsGetAClearRefusal() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        mvc.perform(multipart("/api/v1/templates/inspect")
                        .file(new MockMultipartFile("file", "x", "application/octet-stream", ipfixTemplates()))
                        .param("exporter", "evil.example.com")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-exporter"));
        mvc.perform(multipart("/api/v1/templates/inspect")
                        .file(new MockMultipartFile("file", "empty", "application/octet-stream", new byte[0]))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:empty-file"));
        byte[] truncated = java.util.Arrays.copyOf(ipfixTemplates(), 30);
        mvc.perform(multipart("/api/v1/templates/inspect")
                        .file(new MockMultipartFile("file", "cut.bin", "application/octet-stream", truncated))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.errors[0].reason").isNotEmpty());
    }

    @Test
    void thePageShowsTheTemplateTable() throws Exception {
        String page = mvc.perform(multipart("/templates/inspect")
                        .file(new MockMultipartFile("file", "t.bin", "application/octet-stream", ipfixTemplates()))
                        .with(csrf()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"template-table\"").contains(">IPFIX<").contains("t.bin");
    }
}
