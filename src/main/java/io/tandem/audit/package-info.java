/**
 * The append-only audit log: every login, logout and mutation, with who, when, from where and what.
 * Rows are never updated or deleted; the database refuses it too (trigger in V1).
 */
package io.tandem.audit;
