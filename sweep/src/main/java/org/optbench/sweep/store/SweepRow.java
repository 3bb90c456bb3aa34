package org.optbench.sweep.store;

/**
 * A sweep as the store holds it: its id and name, the user who owns it, the spec text it was
 * created from, when, its status, and why its runner stopped when it failed (null otherwise).
 */
public record SweepRow(String id, String name, String owner, String spec, String createdAt, SweepStatus status,
                       String reason) {
}
