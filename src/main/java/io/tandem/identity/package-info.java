/**
 * Users, roles (VIEWER, OPERATOR, ADMIN), login with lockout, personal API tokens, and the
 * security configuration of the console's UI, REST API and actuator.
 */
package io.tandem.identity;
