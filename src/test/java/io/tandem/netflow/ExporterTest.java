package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exporter addresses read as operators write them: IPv6 in RFC 5952 form, everywhere they are printed. */
class ExporterTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "2001:db8:0:0:0:0:0:5, 2001:db8::5",
            "2001:0DB8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1", // the first of two equal runs
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",                 // one zero group stays
            "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",                      // the longest run wins
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "fe80:0:0:0:0:0:0:0, fe80::",
            "2a02:a90:4007:700:0:0:0:54, 2a02:a90:4007:700::54",
            "10.0.0.7, 10.0.0.7"})
    void printsTheCanonicalForm(String literal, String canonical) {
        Exporter exporter = Exporter.parse(literal);

        assertThat(exporter.toString()).isEqualTo(canonical);
        assertThat(Exporter.parse(exporter.toString())).as("round trip").isEqualTo(exporter);
    }
}
