/**
 * The demo lab started with {@code --demo} (and by {@code ./mvnw spring-boot:run}): two simulated
 * NFO pairs whose four nodes are real Tandem agents on loopback over simulated backends, and faults.
 */
package io.tandem.demo;
