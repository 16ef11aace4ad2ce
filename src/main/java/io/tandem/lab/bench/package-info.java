/**
 * Developer commands that stress the decoder: the throughput/allocation benchmark and the
 * seeded mutation fuzzer (the fuzz test runs a short version of the same engine).
 */
package io.tandem.lab.bench;
