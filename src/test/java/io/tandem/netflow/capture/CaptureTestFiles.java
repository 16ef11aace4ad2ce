package io.tandem.netflow.capture;

import java.util.List;

/** Builds small captures for tests in other packages. */
public final class CaptureTestFiles {

    private CaptureTestFiles() {
    }

    /** An Ethernet pcap with each payload in a UDP datagram from 192.0.2.1 to port 2055. */
    public static byte[] pcapOfPayloads(List<byte[]> payloads) {
        return Frames.pcap(1, false, false, 1_000, payloads.stream()
                .map(p -> Frames.ethernet(0x0800, Frames.udp4(new byte[] {(byte) 192, 0, 2, 1}, new byte[] {(byte) 192, 0, 2, 2},
                        40000, 2055, p, 0)))
                .toList());
    }
}
