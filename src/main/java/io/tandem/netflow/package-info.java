/**
 * NetFlow v5/v9/IPFIX template intelligence: a zero-allocation packet decoder that counts records,
 * the per-exporter template cache with its persistence, and active/passive template parity.
 */
package io.tandem.netflow;
