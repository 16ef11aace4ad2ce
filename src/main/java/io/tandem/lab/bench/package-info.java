/**
 * Developer commands that measure or stress: the decoder's throughput/allocation benchmark, the seeded
 * mutation fuzzer, and the agent bench (memory of an agent process, latency of its health endpoint).
 */
package io.tandem.lab.bench;
