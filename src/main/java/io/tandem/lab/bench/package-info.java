/**
 * Developer commands that measure or stress: the decoder's throughput/allocation benchmark, the seeded
 * mutation fuzzer, the agent bench (memory of an agent process, latency of its health endpoint), and the copy bench
 * (the configuration copy through the agent and SSH against rsync).
 */
package io.tandem.lab.bench;
