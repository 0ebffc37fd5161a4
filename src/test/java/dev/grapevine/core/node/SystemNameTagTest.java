package dev.grapevine.core.node;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemNameTagTest {

    @Test
    void acceptsWhatPekkoAcceptsUpToTheLimit() {
        for (String ok : new String[]{"grapevine", "shop", "Shop-EU_2", "7seas", "s".repeat(SystemNameTag.BYTES_MAX)}) {
            assertNull(SystemNameTag.problem(ok), ok);
        }
        assertEquals("must not be empty", SystemNameTag.problem(""));
        assertEquals("takes 65 characters; the limit is 64", SystemNameTag.problem("s".repeat(65)));
        for (String bad : new String[]{"-shop", "_shop", "shop.eu", "shop eu", "shop/eu", "shop@eu", "caf\u00e9"}) {
            assertTrue(SystemNameTag.problem(bad).startsWith("may hold only letters"), bad);
        }
    }

    @Test
    void theDefaultIsAValidName() {
        assertNull(SystemNameTag.problem(SystemNameTag.DEFAULT));
    }

    @Test
    void readsOnlyAValidNameFromTags() {
        assertEquals("shop", SystemNameTag.of(Map.of(SystemNameTag.KEY, "shop", "role", "db")));
        assertNull(SystemNameTag.of(Map.of("role", "db")));
        assertNull(SystemNameTag.of(Map.of(SystemNameTag.KEY, "shop/eu")), "garbage is no name");
        assertTrue(SystemNameTag.KEY.startsWith(Membership.RESERVED_TAG_PREFIX));
    }
}
