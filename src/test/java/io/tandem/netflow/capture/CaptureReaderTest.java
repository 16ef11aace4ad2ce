package io.tandem.netflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tandem.netflow.Exporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptureReaderTest {

    private static final byte[] SRC4 = {(byte) 192, 0, 2, 1};
    private static final byte[] DST4 = {(byte) 192, 0, 2, 2};
    private static final byte[] SRC6 = Exporter.parse("2001:db8::1").toInetAddress().getAddress();
    private static final byte[] DST6 = Exporter.parse("2001:db8::2").toInetAddress().getAddress();
    private static final byte[] PAYLOAD = "netflow payload".getBytes();
    private static final long TS = 1_700_000_000_123L;

    record Seen(String source, int sport, int dport, String payload, long ts, long payloadOffset) {
    }

    private static List<Seen> seen = new ArrayList<>();

    private static CaptureSummary read(byte[] capture) {
        seen = new ArrayList<>();
        return CaptureReader.read(new ByteArrayInputStream(capture), (src, sp, dp, b, off, len, ts, po) ->
                seen.add(new Seen(src.toString(), sp, dp, new String(b, off, len), ts, po)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcap-be-micro", "pcap-le-micro", "pcap-be-nano", "pcap-le-nano", "pcapng-le", "pcapng-be"})
    void everyFileFlavourYieldsThePayloadWithItsSourceAndTimestamp(String flavour) {
        List<byte[]> frames = List.of(Frames.ethernet(0x0800, Frames.udp4(SRC4, DST4, 40000, 2055, PAYLOAD, 0x4000)));
        byte[] capture = switch (flavour) {
            case "pcap-be-micro" -> Frames.pcap(1, false, false, TS, frames);
            case "pcap-le-micro" -> Frames.pcap(1, true, false, TS, frames);
            case "pcap-be-nano" -> Frames.pcap(1, false, true, TS, frames);
            case "pcap-le-nano" -> Frames.pcap(1, true, true, TS, frames);
            case "pcapng-le" -> Frames.pcapng(1, true, TS, frames);
            default -> Frames.pcapng(1, false, TS, frames);
        };
        CaptureSummary summary = read(capture);
        assertThat(summary.error()).isEmpty();
        assertThat(summary.frames()).isEqualTo(1);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.source()).isEqualTo("192.0.2.1");
            assertThat(s.sport()).isEqualTo(40000);
            assertThat(s.dport()).isEqualTo(2055);
            assertThat(s.payload()).isEqualTo("netflow payload"); // Ethernet trailer excluded
            assertThat(s.ts()).isEqualTo(TS);
            // the offset really points at the payload in the file
            assertThat(Arrays.copyOfRange(capture, (int) s.payloadOffset(), (int) s.payloadOffset() + PAYLOAD.length))
                    .isEqualTo(PAYLOAD);
        });
    }

    @Test
    void linkTypesVlanTagsAndIpv6AreUnwrapped() {
        byte[] v4 = Frames.udp4(SRC4, DST4, 1, 9995, PAYLOAD, 0);
        byte[] v6 = Frames.udp6(SRC6, DST6, 2, 4739, PAYLOAD, false);
        List<byte[][]> cases = List.of(
                new byte[][] {Frames.ethernet(0x0800, v4, 100, 200)},
                new byte[][] {Frames.ethernet(0x86DD, v6)},
                new byte[][] {Frames.sll(0x0800, v4)},
                new byte[][] {Frames.sll2(0x86DD, v6)},
                new byte[][] {v4}, new byte[][] {v6});
        int[] linkTypes = {1, 1, 113, 276, 101, 229};
        for (int i = 0; i < linkTypes.length; i++) {
            assertThat(read(Frames.pcap(linkTypes[i], true, false, TS, List.of(cases.get(i)[0]))).error()).isEmpty();
            assertThat(seen).as("link type " + linkTypes[i]).singleElement()
                    .extracting(Seen::payload).isEqualTo("netflow payload");
        }
        read(Frames.pcap(228, false, false, TS, List.of(v4)));
        assertThat(seen).extracting(Seen::source).containsExactly("192.0.2.1");
        read(Frames.pcap(12, false, false, TS, List.of(v6)));
        assertThat(seen).extracting(Seen::source).containsExactly("2001:db8::1");
    }

    @Test
    void fragmentsAreCountedAndSkipped() {
        CaptureSummary s = read(Frames.pcap(101, false, false, TS, List.of(
                Frames.udp4(SRC4, DST4, 1, 2055, PAYLOAD, 0x2000),   // more fragments
                Frames.udp4(SRC4, DST4, 1, 2055, PAYLOAD, 0x0010),   // non-zero offset
                Frames.udp6(SRC6, DST6, 1, 2055, PAYLOAD, true),
                Frames.udp4(SRC4, DST4, 1, 2055, PAYLOAD, 0))));
        assertThat(s.fragmentsSkipped()).isEqualTo(3);
        assertThat(s.udpDatagrams()).isEqualTo(1);
        assertThat(seen).hasSize(1);
    }

    @Test
    void malformedCapturesGiveTypedErrors() {
        byte[] good = Frames.pcap(101, false, false, TS, List.of(Frames.udp4(SRC4, DST4, 1, 2, PAYLOAD, 0)));
        assertThat(read(Arrays.copyOf(good, good.length - 3)).error()).get()
                .extracting(CaptureError::problem).isEqualTo(CaptureProblem.TRUNCATED);
        assertThat(read("hello world, not a capture".getBytes()).error()).get()
                .extracting(CaptureError::problem).isEqualTo(CaptureProblem.NOT_A_CAPTURE);
        byte[] huge = good.clone();
        huge[24 + 8] = 0x7F; // captured length ~2 GB
        assertThat(read(huge).error()).get().isEqualTo(new CaptureError(24, CaptureProblem.RECORD_TOO_LARGE));
        byte[] ng = Frames.pcapng(1, true, TS, List.of(Frames.ethernet(0x0800, Frames.udp4(SRC4, DST4, 1, 2, PAYLOAD, 0))));
        byte[] badBlock = ng.clone();
        badBlock[28 + 4] = 3; // interface block length 3
        assertThat(read(badBlock).error()).get().extracting(CaptureError::problem).isEqualTo(CaptureProblem.BLOCK_LENGTH_INVALID);
        assertThat(read(new byte[0]).error()).get().extracting(CaptureError::problem).isEqualTo(CaptureProblem.NOT_A_CAPTURE);
    }
}
