package io.tandem.lab.nfo;

/**
 * The counters a lab NFO node reports, written to {@code run/status.json}. Times are ISO-8601 UTC.
 *
 * @param receivedPackets datagrams received on the flow input
 * @param decodedRecords data records decoded with a known template (v5 records included)
 * @param droppedNoTemplate records dropped because their template is unknown (NFO's "no NFv9/IPFIX template")
 * @param forwarded syslog lines sent to the output
 * @param suppressed decoded records not forwarded because one packet claimed more than the per-packet cap
 * @param outputErrors sends that failed (connection refused, TCP reset, ...)
 * @param gateBlockedPackets, gateBlockedBytes what the gate dropped since its rules were last written
 * @param configDigest SHA-256 over the configuration read at start (see {@link NfoConfiguration})
 */
public record LabNfoStatus(String node, String startedAt, String updatedAt, String listen, String output,
        String configDigest, int configFiles, long receivedPackets, long decodedRecords, long droppedNoTemplate,
        long decodeErrors, String lastDecodeError, long forwarded, long suppressed, long outputErrors,
        long gateBlockedPackets, long gateBlockedBytes, int templates, String templatesLoaded) {
}
