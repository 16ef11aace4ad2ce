/**
 * The console's shell: layout and navigation, error pages, the problem+json conventions of the
 * REST API, and the {@link io.tandem.console.Rejected} exception every module uses to refuse input.
 */
package io.tandem.console;
