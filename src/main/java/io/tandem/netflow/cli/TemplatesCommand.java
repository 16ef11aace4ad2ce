package io.tandem.netflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tandem.netflow.Exporter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code templates [--exporter IP] FILE...}: prints, as JSON, the templates and record counts each
 * pcap, pcapng or raw NetFlow payload file contains. Exit 0 when all files decoded cleanly, 1 when
 * any had decode errors (the report is still printed), 2 on bad usage or an unreadable file.
 */
public final class TemplatesCommand {

    private static final String USAGE = "usage: templates [--exporter IP] FILE...  (pcap, pcapng or raw NetFlow/IPFIX payload)";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private TemplatesCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Exporter rawExporter = Exporter.UNSPECIFIED;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--exporter")) {
                if (i + 1 >= args.size()) {
                    err.println("--exporter needs an IP address\n" + USAGE);
                    return 2;
                }
                try {
                    rawExporter = Exporter.parse(args.get(++i));
                } catch (IllegalArgumentException e) {
                    err.println(e.getMessage() + "\n" + USAGE);
                    return 2;
                }
            } else if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (arg.startsWith("--")) {
                err.println("unknown option " + arg + "\n" + USAGE);
                return 2;
            } else {
                files.add(Path.of(arg));
            }
        }
        if (files.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        List<TemplateFileReport.Report> reports = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("cannot read " + file);
                return 2;
            }
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                reports.add(TemplateFileReport.analyze(file.toString(), in, rawExporter));
            } catch (IOException e) {
                err.println("cannot read " + file + ": " + e.getMessage());
                return 2;
            }
        }
        out.println(JSON.writeValueAsString(Map.of("files", reports)));
        return reports.stream().anyMatch(TemplateFileReport.Report::hasErrors) ? 1 : 0;
    }
}
