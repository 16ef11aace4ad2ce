/**
 * Packet sources that feed the decoder: pcap/pcapng readers, a supervised tcpdump process and a
 * UDP mirror listener fed by a packet broker.
 */
package io.tandem.netflow.capture;
