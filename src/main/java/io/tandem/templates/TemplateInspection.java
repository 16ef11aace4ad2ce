package io.tandem.templates;


import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;
import org.springframework.beans.factory.annotation.Value;

import io.tandem.console.Rejected;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.cli.TemplateFileReport;
import io.tandem.netflow.cli.TemplateFileReport.Report;

/** Reads an uploaded capture (pcap, pcapng or a raw NetFlow payload) and reports its templates. */
@Service
public class TemplateInspection {

    private final long maxBytes;

    TemplateInspection(@Value("${spring.servlet.multipart.max-file-size:64MB}") DataSize maxFileSize) {
        this.maxBytes = maxFileSize.toBytes();
    }

    /**
     * @param rawExporter the exporter address to attribute a raw payload to (captures carry their own); may be blank
     */
    public Report inspect(String fileName, byte[] content, String rawExporter) {
        if (content == null || content.length == 0) {
            throw Rejected.invalid("empty-file", "file", "Choose a capture file: pcap, pcapng or a raw NetFlow payload.");
        }
        if (content.length > maxBytes) {
            throw Rejected.invalid("file-too-large", "file", "The file is larger than " + DataSize.ofBytes(maxBytes).toMegabytes() + " MB.");
        }
        Exporter exporter = Exporter.UNSPECIFIED;
        if (rawExporter != null && !rawExporter.isBlank()) {
            try {
                exporter = Exporter.parse(rawExporter.strip());
            } catch (IllegalArgumentException e) {
                throw Rejected.invalid("invalid-exporter", "exporter", "The exporter is an IPv4 or IPv6 address, e.g. 10.0.0.7.");
            }
        }
        String name = fileName == null || fileName.isBlank() ? "upload" : fileName.strip();
        return TemplateFileReport.analyze(name.length() > 200 ? name.substring(0, 200) : name, content, exporter);
    }

}
