package io.tandem.templates.api;

import java.io.IOException;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.netflow.cli.TemplateFileReport.Report;
import io.tandem.templates.TemplateInspection;

@RestController
@RequestMapping("/api/v1/templates")
@Tag(name = "Templates", description = "NetFlow v9/IPFIX templates")
class TemplatesApi {

    private final TemplateInspection inspection;

    TemplatesApi(TemplateInspection inspection) {
        this.inspection = inspection;
    }

    @PostMapping(path = "/inspect", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "The templates in a pcap, pcapng or raw NetFlow payload file (same report as 'tandem templates FILE')")
    Report inspect(@RequestParam(required = false) MultipartFile file, @RequestParam(required = false) String exporter)
            throws IOException {
        return inspection.inspect(file == null ? null : file.getOriginalFilename(), file == null ? null : file.getBytes(), exporter);
    }
}
