/**
 * Tandem: the console that keeps NetFlow Optimizer high-availability pairs healthy.
 * {@link io.tandem.Tandem} dispatches the role word (console, agent, lab, tool commands).
 */
package io.tandem;
