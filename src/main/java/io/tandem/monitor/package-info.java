/**
 * The heart of the console: derives each node's role from what is true on it, and each pair's health (findings,
 * whether it survives losing a node, what changed) — pure, deterministic domain code with {@code now} as an input.
 */
package io.tandem.monitor;
