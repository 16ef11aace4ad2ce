package io.tandem.lab.exporter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.tandem.netflow.TemplateDefinition;
import io.tandem.netflow.TemplateField;
import io.tandem.netflow.TemplateKind;

/**
 * One simulated exporter (one v9 source id or IPFIX observation domain): its templates and the wire
 * bytes of its template and data packets. Each exporter has {@code templateCount} data templates
 * (ids from 256) plus one options template (sampling); the first template carries an enterprise
 * element (IPFIX only: v9 has no enterprise numbers) and the second a variable-length element.
 * Not thread-safe; the simulator thread owns it.
 */
public final class SimulatedExporter {

    public static final int FIRST_TEMPLATE_ID = 256;
    /** Cisco's private enterprise number, used for the simulated enterprise-specific element. */
    static final long ENTERPRISE = 9;
    private static final int MAX_DATAGRAM = 1400;

    private final int version;
    private final long domain;
    private final List<TemplateDefinition> templates = new ArrayList<>();
    private final SplittableRandom random;
    private long sequence;
    private long exported;

    public SimulatedExporter(int version, long domain, int templateCount, long seed) {
        if (version != 9 && version != 10) {
            throw new IllegalArgumentException("version must be 9 or 10");
        }
        if (templateCount < 1 || templateCount > 1000) {
            throw new IllegalArgumentException("templateCount must be 1..1000");
        }
        this.version = version;
        this.domain = domain;
        this.random = new SplittableRandom(seed);
        for (int k = 0; k < templateCount; k++) {
            templates.add(dataTemplate(k, templateCount, version));
        }
        List<TemplateField> options = List.of(
                new TemplateField(version == 10 ? 149 : 1, 0, 4), // scope: observation domain / v9 "system"
                new TemplateField(34, 0, 4), new TemplateField(35, 0, 1));
        templates.add(new TemplateDefinition(version == 10 ? TemplateKind.IPFIX_OPTIONS : TemplateKind.V9_OPTIONS, 1, options));
    }

    public int version() {
        return version;
    }

    public long domain() {
        return domain;
    }

    /** Data templates first, the options template last; template id = FIRST_TEMPLATE_ID + index. */
    public List<TemplateDefinition> templates() {
        return List.copyOf(templates);
    }

    public int dataTemplateCount() {
        return templates.size() - 1;
    }

    /** Flips an extra field in or out of the template, so collectors see a conflicting definition. */
    public void changeTemplate(int templateId) {
        int index = templateId - FIRST_TEMPLATE_ID;
        if (index < 0 || index >= templates.size()) {
            throw new IllegalArgumentException("no template " + templateId);
        }
        TemplateDefinition old = templates.get(index);
        TemplateField marker = new TemplateField(136, 0, 1); // flowEndReason
        List<TemplateField> fields = new ArrayList<>(old.fields());
        if (!fields.remove(marker)) {
            fields.add(marker);
        }
        templates.set(index, new TemplateDefinition(old.kind(), old.scopeFieldCount(), fields));
    }

    /** Every template (and one options data record) in as many packets as needed. */
    public List<byte[]> templatePackets(long nowMillis) {
        List<byte[]> packets = new ArrayList<>();
        ByteBuffer packet = null;
        int records = 0;
        for (int i = 0; i < templates.size(); i++) {
            byte[] set = templateSet(FIRST_TEMPLATE_ID + i, templates.get(i));
            if (packet != null && packet.position() + set.length > MAX_DATAGRAM) {
                packets.add(finish(packet, records, nowMillis));
                packet = null;
            }
            if (packet == null) {
                packet = startPacket();
                records = 0;
            }
            packet.put(set);
            records++;
        }
        int optionsId = FIRST_TEMPLATE_ID + templates.size() - 1;
        byte[] optionsData = dataSet(optionsId, 1);
        if (packet.position() + optionsData.length > MAX_DATAGRAM) {
            packets.add(finish(packet, records, nowMillis));
            packet = startPacket();
            records = 0;
        }
        packet.put(optionsData);
        packets.add(finish(packet, records + 1, nowMillis));
        exported++;
        return packets;
    }

    /** One packet with a data set of up to {@code records} records (fewer if they would not fit). */
    public byte[] dataPacket(int templateIndex, int records, long nowMillis) {
        int fit = Math.max(1, (MAX_DATAGRAM - 40) / maxRecordLength(templates.get(templateIndex)));
        int n = Math.min(records, fit);
        ByteBuffer packet = startPacket();
        packet.put(dataSet(FIRST_TEMPLATE_ID + templateIndex, n));
        byte[] out = finish(packet, n, nowMillis);
        exported += n;
        return out;
    }

    /** Records that {@link #dataPacket} puts in one packet at most. */
    public int maxRecordsPerPacket(int templateIndex) {
        return Math.max(1, (MAX_DATAGRAM - 40) / maxRecordLength(templates.get(templateIndex)));
    }

    private static TemplateDefinition dataTemplate(int k, int count, int version) {
        List<TemplateField> f = new ArrayList<>(List.of(
                new TemplateField(8, 0, 4), new TemplateField(12, 0, 4), new TemplateField(7, 0, 2),
                new TemplateField(11, 0, 2), new TemplateField(4, 0, 1), new TemplateField(1, 0, 8),
                new TemplateField(2, 0, 8), new TemplateField(152, 0, 8), new TemplateField(153, 0, 8),
                new TemplateField(10, 0, 4), new TemplateField(14, 0, 4), new TemplateField(6, 0, 1)));
        switch (k % 3) {
            case 0 -> f.add(new TemplateField(5, 0, 1));
            case 1 -> f.addAll(List.of(new TemplateField(16, 0, 4), new TemplateField(17, 0, 4)));
            default -> f.addAll(List.of(new TemplateField(15, 0, 4), new TemplateField(9, 0, 1), new TemplateField(13, 0, 1)));
        }
        if (k == 0 && version == 10) {
            f.add(new TemplateField(12235, ENTERPRISE, 4));
        }
        if (k == 1 % count) {
            f.add(new TemplateField(82, 0, TemplateField.VARIABLE_LENGTH)); // interfaceName
        }
        return new TemplateDefinition(version == 10 ? TemplateKind.IPFIX : TemplateKind.V9, 0, f);
    }

    private byte[] templateSet(int id, TemplateDefinition d) {
        boolean options = d.kind().isOptions();
        List<TemplateField> fields = d.fields();
        ByteBuffer b = ByteBuffer.allocate(16 + fields.size() * 8);
        b.putShort((short) (version == 10 ? (options ? 3 : 2) : (options ? 1 : 0)));
        b.putShort((short) 0);
        b.putShort((short) id);
        if (version == 9 && options) {
            b.putShort((short) (d.scopeFieldCount() * 4));
            b.putShort((short) ((fields.size() - d.scopeFieldCount()) * 4));
        } else {
            b.putShort((short) fields.size());
            if (options) {
                b.putShort((short) d.scopeFieldCount());
            }
        }
        for (TemplateField f : fields) {
            boolean enterprise = f.enterprise() != 0;
            b.putShort((short) (f.id() | (enterprise ? 0x8000 : 0)));
            b.putShort((short) f.length());
            if (enterprise) {
                b.putInt((int) f.enterprise());
            }
        }
        return closeSet(b);
    }

    private byte[] dataSet(int id, int records) {
        TemplateDefinition d = templates.get(id - FIRST_TEMPLATE_ID);
        List<TemplateField> fields = d.fields();
        ByteBuffer b = ByteBuffer.allocate(8 + records * maxRecordLength(d));
        b.putShort((short) id).putShort((short) 0);
        for (int r = 0; r < records; r++) {
            for (TemplateField f : fields) {
                if (f.isVariableLength()) {
                    int n = 4 + random.nextInt(9);
                    b.put((byte) n);
                    for (int i = 0; i < n; i++) {
                        b.put((byte) ('a' + random.nextInt(26)));
                    }
                } else {
                    for (int i = 0; i < f.length(); i++) {
                        b.put((byte) random.nextInt(256));
                    }
                }
            }
        }
        return closeSet(b);
    }

    /** Pads the set to a 4-byte boundary and writes its length. */
    private static byte[] closeSet(ByteBuffer b) {
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
        b.putShort(2, (short) b.position());
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    private static int maxRecordLength(TemplateDefinition d) {
        return d.fields().stream().mapToInt(f -> f.isVariableLength() ? 13 : f.length()).sum();
    }

    private ByteBuffer startPacket() {
        ByteBuffer b = ByteBuffer.allocate(65535);
        b.position(version == 10 ? 16 : 20);
        return b;
    }

    private byte[] finish(ByteBuffer b, int records, long nowMillis) {
        int length = b.position();
        b.putShort(0, (short) version);
        if (version == 10) {
            b.putShort(2, (short) length);
            b.putInt(4, (int) (nowMillis / 1000));
            b.putInt(8, (int) exported); // RFC 7011: data records sent before this message, so seq + index numbers each record
            b.putInt(12, (int) domain);
        } else {
            b.putShort(2, (short) records);
            b.putInt(4, (int) (nowMillis & 0x7FFFFFFF));
            b.putInt(8, (int) (nowMillis / 1000));
            b.putInt(12, (int) sequence++);
            b.putInt(16, (int) domain);
        }
        byte[] out = new byte[length];
        b.get(0, out);
        return out;
    }
}
