package dev.grapevine.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a shutdown's phase timeout is shared between the hand-off and the leave after it. */
class ShutdownDecommissionBudgetTest {

    @Test
    void theHandOffGetsWhatThePhaseLeavesAfterTheLeaveAtMostItsOwnBound() {
        // The defaults of a node started the usual way: 30 s phase, 4 s leave, 20 s hand-off: all fits.
        assertEquals(Duration.ofSeconds(20), ShutdownLeave.decommissionBudget(Duration.ofSeconds(30), Duration.ofSeconds(4), Duration.ofSeconds(20)));
        // Pekko's own 5 s phase: 5 - 0.25 - 4 = 0.75 s for the hand-off.
        assertEquals(Duration.ofMillis(750), ShutdownLeave.decommissionBudget(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofSeconds(20)));
        // A leave that takes the whole phase leaves nothing, never a negative bound.
        assertEquals(Duration.ZERO, ShutdownLeave.decommissionBudget(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20)));
        assertEquals(Duration.ZERO, ShutdownLeave.decommissionBudget(Duration.ofSeconds(30), Duration.ofSeconds(4), Duration.ZERO));
    }
}
