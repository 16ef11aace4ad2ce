/**
 * Benchmarks that need the whole console (database, monitor, web server, demo lab) in one JVM: they print
 * figures and assert nothing. Started from {@code Tandem}; never component-scanned.
 */
package io.tandem.bench;
