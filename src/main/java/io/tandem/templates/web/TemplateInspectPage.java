package io.tandem.templates.web;

import java.io.IOException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

import io.tandem.console.Rejected;
import io.tandem.templates.TemplateInspection;

/** Upload a capture, see the v9/IPFIX templates in it (what a collector would learn from it). */
@Controller
class TemplateInspectPage {

    private final TemplateInspection inspection;

    TemplateInspectPage(TemplateInspection inspection) {
        this.inspection = inspection;
    }

    @GetMapping("/templates/inspect")
    String form() {
        return "templates/inspect";
    }

    @PostMapping("/templates/inspect")
    String inspect(@RequestParam(required = false) MultipartFile file, @RequestParam(required = false) String exporter,
                   Model model) throws IOException {
        model.addAttribute("exporter", exporter);
        try {
            model.addAttribute("report", inspection.inspect(file == null ? null : file.getOriginalFilename(),
                    file == null ? null : file.getBytes(), exporter));
        } catch (Rejected rejected) {
            model.addAttribute("errorField", rejected.field());
            model.addAttribute("error", rejected.getMessage());
        }
        return "templates/inspect";
    }
}
