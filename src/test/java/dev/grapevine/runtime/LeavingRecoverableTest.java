package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeavingRecoverableTest {

    /**
     * A default method the wrapper does not override would answer with the SPI's default instead of
     * the domain's own (a whole-partition scan per page, or a repair proof never told): every method of
     * the SPI, defaults included, must be passed on or decided here.
     */
    @Test
    void everyMethodOfTheSpiIsOverridden() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : Recoverable.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = LeavingRecoverable.class.getMethod(m.getName(), m.getParameterTypes());
            if (own.getDeclaringClass() != LeavingRecoverable.class) {
                missing.add(m.getName() + java.util.Arrays.toString(m.getParameterTypes()));
            }
        }
        assertEquals(List.of(), missing);
    }
}
