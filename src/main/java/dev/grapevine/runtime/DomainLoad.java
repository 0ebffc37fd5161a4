package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.StoreLoad;

import java.util.Collection;
import java.util.Optional;

/** The load of a node's recoverable domains, summed; a domain that fails to tell is left out. */
final class DomainLoad {
    private DomainLoad() {
    }

    public static Optional<StoreLoad> sum(Collection<Recoverable> domains) {
        StoreLoad total = null;
        for (Recoverable d : domains) {
            StoreLoad load;
            try {
                load = d.load();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DomainLoad.class).debug("a domain could not tell its load: {}", e.toString());
                continue;
            }
            if (load != null) {
                total = total == null ? load : total.plus(load);
            }
        }
        return Optional.ofNullable(total);
    }
}
