package org.optbench.sweep.store;

/**
 * A sweep as the store holds it: its id and name, the user who owns it, the spec text it was
 * created from, when, and its status ("running", "completed", "cancelled").
 */
public record SweepRow(String id, String name, String owner, String spec, String createdAt, String status) {
}
