package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Samples in the kernel's format (net/ipv4/udp.c udp4_format_sock, net/ipv6/datagram.c), x86-64 byte order. */
class ProcNetUdpTest {

    static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              277: 00000000:2553 00000000:0000 07 00000000:00000000 00:00000000 00000000   997        0 412345 2 ffff9a0b4c7e8000 1532
              512: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 18312 2 ffff9a0b41a2c400 0
             1024: 0A00A8C0:270B 00000000:0000 07 00000000:00034000 00:00000000 00000000   997        0 412350 2 ffff9a0b4c7e8400 12
            """;

    static final String UDP6 = """
               sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              277: 00000000000000000000000000000000:2553 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   997        0 412346 2 ffff9a0b4d3f0000 0
              301: B80D0120000000000000000010000000:270B 00000000000000000000000000000000:0000 07 00000000:00000100 00:00000000 00000000   997        0 412351 2 ffff9a0b4d3f0400 3
              388: 0000000000000000FFFF00000A00A8C0:0801 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9001 2 ffff9a0b4d3f0800 0
            """;

    static final String SNMP = """
            Ip: Forwarding DefaultTTL InReceives InHdrErrors
            Ip: 1 64 123456789 0
            Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
            Udp: 98765432 12 4567 1234 4560 0 7 0 0
            UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
            UdpLite: 0 0 0 0 0 0 0 0 0
            """;

    static final String SNMP6 = """
            Ip6InReceives                   	5512
            Udp6InDatagrams                 	1000
            Udp6NoPorts                     	2
            Udp6InErrors                    	3
            Udp6OutDatagrams                	40
            Udp6RcvbufErrors                	3
            Udp6SndbufErrors                	0
            Udp6InCsumErrors                	0
            Udp6IgnoredMulti                	0
            UdpLite6InDatagrams             	0
            """;

    @Test
    void keepsOnlySocketsOnTheFlowInputPortsAndDecodesThem() throws Exception {
        List<UdpSocket> sockets = ProcNetUdp.sockets(UDP, "udp", Set.of(9555, 9995));

        assertThat(sockets).containsExactly(
                new UdpSocket("udp", "0.0.0.0", 9555, 0, 0, 1532, 412345, 997),
                new UdpSocket("udp", "192.168.0.10", 9995, 0x34000, 0, 12, 412350, 997));
    }

    @Test
    void decodesIpv6AndMappedAddresses() throws Exception {
        List<UdpSocket> sockets = ProcNetUdp.sockets(UDP6, "udp6", Set.of(9555, 9995, 2049));

        assertThat(sockets).extracting(UdpSocket::localAddress, UdpSocket::localPort, UdpSocket::drops)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("::", 9555, 0L),
                        org.assertj.core.groups.Tuple.tuple("2001:db8::10", 9995, 3L),
                        org.assertj.core.groups.Tuple.tuple("::ffff:192.168.0.10", 2049, 0L));
    }

    @Test
    void readsTheUdpCounterPairsOfSnmpAndSnmp6() throws Exception {
        assertThat(ProcNetUdp.counters(SNMP)).isEqualTo(new UdpCounters(98765432, 12, 4567, 1234, 4560, 0, 7));
        assertThat(ProcNetUdp.counters6(SNMP6)).isEqualTo(new UdpCounters(1000, 2, 3, 40, 3, 0, 0));
    }

    @Test
    void factsNameThePortsNothingListensOn() throws Exception {
        UdpFacts facts = new UdpFacts(ProcNetUdp.sockets(UDP, "udp", Set.of(9555, 2055)),
                ProcNetUdp.counters(SNMP), null);

        assertThat(facts.portsWithoutSocket(List.of(9555, 2055))).containsExactly(2055);
        assertThat(facts.socketDrops()).isEqualTo(1532);
    }

    @Test
    void hostileOrTruncatedInputIsABadAnswer() {
        assertThatThrownBy(() -> ProcNetUdp.sockets("", "udp", Set.of(1)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> ProcNetUdp.sockets("garbage\n", "udp", Set.of(1)))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("header");
        String cut = UDP.lines().limit(2).map(line -> line.substring(0, Math.min(line.length(), 60)))
                .reduce("", (a, b) -> a + b + "\n");
        assertThatThrownBy(() -> ProcNetUdp.sockets(cut, "udp", Set.of(1)))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("line 2");
        String badHex = UDP.replace("00000000:2553", "0000ZZ00:2553");
        assertThatThrownBy(() -> ProcNetUdp.sockets(badHex, "udp", Set.of(1)))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("hex");
        String hugeDrops = UDP.replace(" 1532", " 99999999999999999999999");
        assertThatThrownBy(() -> ProcNetUdp.sockets(hugeDrops, "udp", Set.of(1)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> ProcNetUdp.counters("Udp: InDatagrams NoPorts\nUdp: 1\n"))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> ProcNetUdp.counters6("Ip6InReceives 1\n"))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("InDatagrams");
    }
}
