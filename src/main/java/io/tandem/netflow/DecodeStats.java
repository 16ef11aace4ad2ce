package io.tandem.netflow;

/**
 * Counters the decoder accumulates into; the caller owns and reuses one instance so that the data
 * path does not allocate. Not thread-safe: one decoding thread writes, others read {@link #copy()}.
 */
public final class DecodeStats {

    long packets;
    long packetsWithErrors;
    long v5Packets;
    long v9Packets;
    long ipfixPackets;
    long templateRecords;
    long optionsTemplateRecords;
    long withdrawals;
    long dataRecords;
    long undecodableRecords;
    long undecodableSets;

    public long packets() { return packets; }
    public long packetsWithErrors() { return packetsWithErrors; }
    public long v5Packets() { return v5Packets; }
    public long v9Packets() { return v9Packets; }
    public long ipfixPackets() { return ipfixPackets; }
    /** Template and options template records, refreshes included, withdrawals excluded. */
    public long templateRecords() { return templateRecords; }
    public long optionsTemplateRecords() { return optionsTemplateRecords; }
    public long withdrawals() { return withdrawals; }
    /** Data records counted with a known template (v5 records included). */
    public long dataRecords() { return dataRecords; }
    /**
     * Records NFO would drop for lack of a template. Exact record counts are unknowable without the
     * template: for v9 it is derived from the header's record count, for IPFIX it is one per data
     * set (a lower bound). {@link #undecodableSets()} is exact.
     */
    public long undecodableRecords() { return undecodableRecords; }
    public long undecodableSets() { return undecodableSets; }

    public void reset() {
        packets = packetsWithErrors = v5Packets = v9Packets = ipfixPackets = 0;
        templateRecords = optionsTemplateRecords = withdrawals = 0;
        dataRecords = undecodableRecords = undecodableSets = 0;
    }

    public DecodeStats copy() {
        DecodeStats c = new DecodeStats();
        c.add(this);
        return c;
    }

    public void add(DecodeStats o) {
        packets += o.packets;
        packetsWithErrors += o.packetsWithErrors;
        v5Packets += o.v5Packets;
        v9Packets += o.v9Packets;
        ipfixPackets += o.ipfixPackets;
        templateRecords += o.templateRecords;
        optionsTemplateRecords += o.optionsTemplateRecords;
        withdrawals += o.withdrawals;
        dataRecords += o.dataRecords;
        undecodableRecords += o.undecodableRecords;
        undecodableSets += o.undecodableSets;
    }

    @Override
    public String toString() {
        return "DecodeStats[packets=" + packets + ", errors=" + packetsWithErrors + ", templates=" + templateRecords
                + ", withdrawals=" + withdrawals + ", data=" + dataRecords + ", undecodable=" + undecodableRecords
                + " in " + undecodableSets + " sets]";
    }
}
