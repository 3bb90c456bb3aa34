package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The server's worker slots: caps in all and per user, and free slots going first to the user with fewer. */
class WorkerSlotsTest {

    @Test
    void capsHoldInAllAndPerUser() {
        WorkerSlots slots = new WorkerSlots(3, 2);
        assertNull(slots.tryAcquire("alice"));
        assertNull(slots.tryAcquire("alice"));
        assertTrue(slots.tryAcquire("alice").contains("--user-max-workers 2"));
        assertNull(slots.tryAcquire("bob"));
        assertTrue(slots.tryAcquire("bob").contains("3 of --max-workers 3"));
        assertArrayEquals(new int[] {3, 2}, slots.running("alice"));
        slots.release("alice");
        slots.hold("carol");
        assertArrayEquals(new int[] {3, 1}, slots.running("carol"), "a re-attached trial counts whatever the limits");
    }

    @Test
    void aFreedSlotGoesToTheWaitingUserWithFewerWorkers() {
        WorkerSlots slots = new WorkerSlots(2, 2);
        assertNull(slots.tryAcquire("alice"));
        assertNull(slots.tryAcquire("alice"));
        assertTrue(slots.tryAcquire("bob") != null, "the server is full: bob waits");
        slots.release("alice");
        String refused = slots.tryAcquire("alice");
        assertTrue(refused != null && refused.contains("fewer workers running is served first"), String.valueOf(refused));
        assertNull(slots.tryAcquire("bob"), "bob, with none running, gets the freed slot");
    }

    @Test
    void heapsAddUpToTheMemoryCapButOneWorkerAlwaysRuns() {
        long gib = 1L << 30;
        WorkerSlots slots = new WorkerSlots(8, 8, 5 * gib);
        assertNull(slots.tryAcquire("alice", 6 * gib), "one worker runs even when its heap alone is past the cap");
        String refused = slots.tryAcquire("bob", gib);
        assertTrue(refused != null && refused.contains("past the server's --max-worker-memory 5.0 GiB"), refused);
        slots.release("alice", 6 * gib);
        assertNull(slots.tryAcquire("bob", 2 * gib));
        assertNull(slots.tryAcquire("bob", 2 * gib));
        assertTrue(slots.tryAcquire("alice", 2 * gib) != null, "4 + 2 GiB is past 5 GiB");
        assertNull(slots.tryAcquire("alice", gib));
    }
}
