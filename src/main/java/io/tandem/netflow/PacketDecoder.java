package io.tandem.netflow;

import java.util.Objects;
import java.util.Optional;

/**
 * Decodes one NetFlow v5, v9 (RFC 3954) or IPFIX (RFC 7011) export packet: learns and withdraws
 * templates in the cache and counts data records per template, without decoding field values.
 * Data sets whose template is unknown are counted as undecodable (what NFO drops).
 *
 * <p>Hostile input never throws: a malformed packet yields a {@link DecodeError} and decoding stops
 * there. Everything before the error stays applied, and a template is applied only when its whole
 * record parsed. The data path allocates nothing; only new or changed templates allocate.
 */
public final class PacketDecoder {

    private static final int V5_HEADER = 24;
    private static final int V5_RECORD = 48;
    private static final int V9_HEADER = 20;
    private static final int IPFIX_HEADER = 16;

    private PacketDecoder() {
    }

    /**
     * @param exporter  the exporter's address (keep one instance per exporter to avoid allocation)
     * @param nowMillis arrival time, used for refresh intervals and rates
     * @return empty when the whole packet decoded, otherwise where and why decoding stopped
     */
    public static Optional<DecodeError> decode(Exporter exporter, byte[] buf, int off, int len, long nowMillis,
                                               TemplateCache cache, DecodeStats out) {
        Objects.requireNonNull(exporter, "exporter");
        Objects.checkFromIndexSize(off, len, buf.length);
        out.packets++;
        DecodeError error;
        if (len < 2) {
            error = new DecodeError(0, DecodeProblem.TRUNCATED_HEADER);
        } else {
            int version = u16(buf, off);
            if (version == 5) {
                error = decodeV5(buf, off, len, out);
            } else if (version == 9 || version == 10) {
                synchronized (cache) {
                    error = version == 9
                            ? decodeV9(exporter, buf, off, len, nowMillis, cache, out)
                            : decodeIpfix(exporter, buf, off, len, nowMillis, cache, out);
                }
            } else {
                error = new DecodeError(0, DecodeProblem.UNSUPPORTED_VERSION);
            }
        }
        if (error == null) {
            return Optional.empty();
        }
        out.packetsWithErrors++;
        return Optional.of(error);
    }

    private static DecodeError decodeV5(byte[] b, int off, int len, DecodeStats out) {
        if (len < V5_HEADER) {
            return new DecodeError(0, DecodeProblem.TRUNCATED_HEADER);
        }
        out.v5Packets++;
        int count = u16(b, off + 2);
        if (V5_HEADER + (long) count * V5_RECORD > len) {
            return new DecodeError(2, DecodeProblem.V5_RECORDS_OVERRUN);
        }
        out.dataRecords += count;
        return null;
    }

    private static DecodeError decodeV9(Exporter exporter, byte[] b, int off, int len, long now, TemplateCache cache,
                                        DecodeStats out) {
        if (len < V9_HEADER) {
            return new DecodeError(0, DecodeProblem.TRUNCATED_HEADER);
        }
        out.v9Packets++;
        int headerCount = u16(b, off + 2);
        long sourceId = u32(b, off + 16);
        long before = out.templateRecords + out.dataRecords;
        long unknownSetsBefore = out.undecodableSets;
        DecodeError error = decodeSets(false, exporter, sourceId, b, off, off + V9_HEADER, off + len, now, cache, out);
        long unknownSets = out.undecodableSets - unknownSetsBefore;
        if (unknownSets > 0) {
            // v9 headers count every record in the packet, so the records we could not count are the rest.
            long rest = headerCount - (out.templateRecords + out.dataRecords - before);
            out.undecodableRecords += Math.max(unknownSets, rest);
        }
        return error;
    }

    private static DecodeError decodeIpfix(Exporter exporter, byte[] b, int off, int len, long now, TemplateCache cache,
                                           DecodeStats out) {
        if (len < IPFIX_HEADER) {
            return new DecodeError(0, DecodeProblem.TRUNCATED_HEADER);
        }
        out.ipfixPackets++;
        int messageLength = u16(b, off + 2);
        if (messageLength < IPFIX_HEADER) {
            return new DecodeError(2, DecodeProblem.MESSAGE_LENGTH_INVALID);
        }
        if (messageLength > len) {
            return new DecodeError(2, DecodeProblem.MESSAGE_TRUNCATED);
        }
        long domain = u32(b, off + 12);
        long unknownSetsBefore = out.undecodableSets;
        // Bytes after messageLength are ignored: one message per datagram (RFC 7011 section 10.3.3).
        DecodeError error = decodeSets(true, exporter, domain, b, off, off + IPFIX_HEADER, off + messageLength, now,
                cache, out);
        // IPFIX has no record count: without the template one set is at least one record.
        out.undecodableRecords += out.undecodableSets - unknownSetsBefore;
        return error;
    }

    private static DecodeError decodeSets(boolean ipfix, Exporter exporter, long domain, byte[] b, int off, int p,
                                          int end, long now, TemplateCache cache, DecodeStats out) {
        while (end - p >= 4) {
            int setId = u16(b, p);
            int setLength = u16(b, p + 2);
            if (setLength < 4) {
                // Some exporters zero-fill the datagram after the last set (Palo Alto, Cisco ACI).
                return allZero(b, p, end) ? null : new DecodeError(p + 2 - off, DecodeProblem.SET_LENGTH_TOO_SHORT);
            }
            if (setLength > end - p) {
                return new DecodeError(p + 2 - off, DecodeProblem.SET_OVERRUNS_MESSAGE);
            }
            int body = p + 4;
            int setEnd = p + setLength;
            DecodeError error = null;
            if (setId >= 256) {
                error = dataSet(exporter, domain, setId, b, off, body, setEnd, now, cache, out);
            } else if (ipfix && (setId == 2 || setId == 3)) {
                error = templateSet(true, setId == 3, exporter, domain, b, off, body, setEnd, now, cache, out);
            } else if (!ipfix && (setId == 0 || setId == 1)) {
                error = templateSet(false, setId == 1, exporter, domain, b, off, body, setEnd, now, cache, out);
            }
            // Other ids below 256 are reserved: skipped, as collectors do.
            if (error != null) {
                return error;
            }
            p = setEnd;
        }
        return null;
    }

    private static DecodeError templateSet(boolean ipfix, boolean options, Exporter exporter, long domain, byte[] b,
                                           int off, int p, int setEnd, long now, TemplateCache cache, DecodeStats out) {
        while (setEnd - p >= 4) {
            int templateId = u16(b, p);
            int fieldCount = u16(b, p + 2);
            if (templateId == 0 && allZero(b, p, setEnd)) {
                return null; // set padding
            }
            int recordStart = p;
            int q = p + 4;
            int scopeCount = 0;
            if (ipfix && fieldCount == 0) {
                DecodeError error = withdraw(options, exporter, domain, templateId, recordStart - off, cache, out);
                if (error != null) {
                    return error;
                }
                p = q;
                continue;
            }
            if (templateId < 256) {
                return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_ID_INVALID);
            }
            if (options && ipfix) {
                if (setEnd - q < 2) {
                    return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_OVERRUNS_SET);
                }
                scopeCount = u16(b, q);
                q += 2;
                if (scopeCount > fieldCount) {
                    return new DecodeError(recordStart - off, DecodeProblem.FIELD_COUNT_INVALID);
                }
            } else if (options) {
                // v9 options template: scope and option lengths are in bytes, 4 per field.
                if (setEnd - q < 2) {
                    return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_OVERRUNS_SET);
                }
                int scopeLength = fieldCount;
                int optionLength = u16(b, q);
                q += 2;
                if (scopeLength % 4 != 0 || optionLength % 4 != 0 || scopeLength + optionLength == 0) {
                    return new DecodeError(recordStart - off, DecodeProblem.FIELD_COUNT_INVALID);
                }
                scopeCount = scopeLength / 4;
                fieldCount = (scopeLength + optionLength) / 4;
            } else if (fieldCount == 0) {
                return new DecodeError(recordStart - off, DecodeProblem.FIELD_COUNT_INVALID);
            }
            if ((long) fieldCount * 4 > setEnd - q) {
                return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_OVERRUNS_SET);
            }
            cache.ensureScratch(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                if (setEnd - q < 4) {
                    return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_OVERRUNS_SET);
                }
                int id = u16(b, q);
                int length = u16(b, q + 2);
                q += 4;
                long enterprise = 0;
                if (ipfix && (id & 0x8000) != 0) {
                    if (setEnd - q < 4) {
                        return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_OVERRUNS_SET);
                    }
                    enterprise = u32(b, q);
                    q += 4;
                    id &= 0x7FFF;
                }
                cache.scratchIds[i] = id;
                cache.scratchEnterprises[i] = enterprise;
                cache.scratchLengths[i] = length;
            }
            TemplateKind kind = ipfix ? (options ? TemplateKind.IPFIX_OPTIONS : TemplateKind.IPFIX)
                    : (options ? TemplateKind.V9_OPTIONS : TemplateKind.V9);
            if (cache.applyTemplate(exporter, domain, templateId, kind, scopeCount, fieldCount, now) == null) {
                return new DecodeError(recordStart - off, DecodeProblem.TEMPLATE_LIMIT_REACHED);
            }
            out.templateRecords++;
            if (options) {
                out.optionsTemplateRecords++;
            }
            p = q;
        }
        return null;
    }

    private static DecodeError withdraw(boolean options, Exporter exporter, long domain, int templateId, int offset,
                                        TemplateCache cache, DecodeStats out) {
        int allTemplatesId = options ? 3 : 2;
        if (templateId == allTemplatesId) {
            cache.removeAll(exporter, domain, options ? TemplateKind.IPFIX_OPTIONS : TemplateKind.IPFIX);
        } else if (templateId >= 256) {
            cache.remove(exporter, domain, templateId);
        } else {
            return new DecodeError(offset, DecodeProblem.TEMPLATE_ID_INVALID);
        }
        out.withdrawals++;
        return null;
    }

    private static DecodeError dataSet(Exporter exporter, long domain, int templateId, byte[] b, int off, int p,
                                       int setEnd, long now, TemplateCache cache, DecodeStats out) {
        TemplateCache.Entry template = cache.find(exporter, domain, templateId);
        if (template == null) {
            out.undecodableSets++;
            return null;
        }
        int records;
        DecodeError error = null;
        if (template.fixedLength > 0) {
            records = (setEnd - p) / template.fixedLength; // a shorter remainder is set padding
        } else if (template.fixedLength == 0) {
            return new DecodeError(p - 4 - off, DecodeProblem.ZERO_LENGTH_RECORD);
        } else {
            records = 0;
            int[] runs = template.fixedRuns;
            while (setEnd - p >= template.minLength) {
                long r = p + runs[0];
                for (int i = 1; i < runs.length; i++) {
                    if (r >= setEnd) {
                        r = Long.MAX_VALUE;
                        break;
                    }
                    int length = b[(int) r] & 0xFF;
                    r++;
                    if (length == 255) { // RFC 7011 7: 255 announces a two-byte length
                        if (setEnd - r < 2) {
                            r = Long.MAX_VALUE;
                            break;
                        }
                        length = u16(b, (int) r);
                        r += 2;
                    }
                    r += length + runs[i];
                }
                if (r > setEnd) {
                    if (!allZero(b, p, setEnd)) {
                        error = new DecodeError(p - off, DecodeProblem.VARIABLE_LENGTH_OVERRUN);
                    }
                    break;
                }
                records++;
                p = (int) r;
            }
        }
        template.recordData(records, now);
        out.dataRecords += records;
        return error;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
