/**
 * Measurements of the agent (not tests): resident memory of an agent process and the latency of its
 * health endpoint over loopback, run with {@code java -cp ... io.tandem.agent.bench.AgentBench}.
 */
package io.tandem.agent.bench;
