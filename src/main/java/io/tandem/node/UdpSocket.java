package io.tandem.node;

/**
 * One UDP socket from {@code /proc/net/udp} or {@code /proc/net/udp6}.
 *
 * @param family {@code udp} or {@code udp6}
 * @param localAddress the bound address in its usual text form ({@code 0.0.0.0}, {@code ::}, ...)
 * @param rxQueueBytes receive-buffer memory in use (the kernel's {@code rx_queue}); a value that stays high means
 *        NFO is not reading fast enough and {@link #drops()} will follow
 * @param drops datagrams this socket dropped since it was opened (full receive buffer, mostly)
 * @param inode the socket inode: ties the socket to a process through {@code /proc/<pid>/fd}
 */
public record UdpSocket(String family, String localAddress, int localPort, long rxQueueBytes, long txQueueBytes,
        long drops, long inode, long uid) {
}
