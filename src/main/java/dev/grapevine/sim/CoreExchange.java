package dev.grapevine.sim;

import dev.grapevine.core.repair.ExchangeEffect;
import dev.grapevine.core.repair.ExchangeInitiator;
import dev.grapevine.core.repair.ExchangeLimits;
import dev.grapevine.core.repair.ExchangeMessage;
import dev.grapevine.core.repair.ExchangeResponder;
import dev.grapevine.core.repair.ExchangeStats;

import java.util.List;
import java.util.function.Consumer;

/**
 * Exchanges between simulated replicas run by the production step machines: an
 * {@link ExchangeInitiator} on the node that starts one, the {@link ExchangeResponder} of the peer,
 * each over its own {@link ReplicaStore}, with every request and reply crossing the simulated
 * network, and the initiator's resends driven by its wake-up time. The limits are the runtime's
 * defaults (64 KiB chunks, a 10 s request timeout, two resends).
 */
final class CoreExchange implements ReplicaExchange {
    static final ExchangeLimits LIMITS = ExchangeLimits.of(64 * 1024, 10_000);

    private final Simulation sim;
    private final ReplicaStore[] stores;
    private final String domain;
    private final ExchangeResponder[] responders;
    /** Leaving nodes: their exchanges push only, as the runtime's leaving domain takes nothing by repair. */
    private final boolean[] pushOnly;
    private final long[] bytesThatChanged = {0};
    private long nextExchange = 1;
    private long entriesSent;
    private long bytesSent;

    CoreExchange(Simulation sim, ReplicaStore[] stores, String domain) {
        this.sim = sim;
        this.stores = stores;
        this.domain = domain;
        this.responders = new ExchangeResponder[sim.size()];
        this.pushOnly = new boolean[sim.size()];
        for (int i = 0; i < responders.length; i++) {
            responders[i] = new ExchangeResponder(sim.name(i), LIMITS);
        }
    }

    /** Node {@code i} restarted: the trees its responder kept went with its process. */
    void reset(int i) {
        responders[i] = new ExchangeResponder(sim.name(i), LIMITS);
    }

    /** Node {@code i} is leaving: from now on it takes nothing by repair, as initiator or responder. */
    void pushOnly(int i) {
        pushOnly[i] = true;
    }

    private final class Run {
        final int initiator;
        final int peer;
        final ExchangeInitiator machine;
        final Consumer<Boolean> done;
        long wakeScheduledMillis = Long.MAX_VALUE;
        boolean over;

        Run(int initiator, int peer, int partition, Consumer<Boolean> done) {
            this.initiator = initiator;
            this.peer = peer;
            this.done = done;
            long id = ExchangeInitiator.exchangeIdFrom(nextExchange++ << ExchangeInitiator.SEQUENCE_BITS);
            this.machine = new ExchangeInitiator(id, domain, partition,
                    new PartitionExchangeStore(stores[initiator], partition, bytesThatChanged, !pushOnly[initiator]), LIMITS);
        }
    }

    @Override
    public void run(int initiator, int peer, int partition, Consumer<Boolean> done) {
        if (peer < 0) {
            sim.afterOn(initiator, 0, () -> done.accept(false));
            return;
        }
        Run r = new Run(initiator, peer, partition, done);
        perform(r, r.machine.start(sim.nowMillis()));
    }

    private void perform(Run r, List<ExchangeEffect> effects) {
        for (ExchangeEffect e : effects) {
            if (e instanceof ExchangeEffect.Send s) {
                ExchangeMessage.Request request = (ExchangeMessage.Request) s.message();
                sim.sendData(r.initiator, r.peer, () -> respond(r, request));
            } else if (e instanceof ExchangeEffect.Done d) {
                r.over = true;
                ExchangeStats stats = r.machine.stats();
                entriesSent += stats.entriesSent() + stats.entriesReceived();
                bytesSent += stats.entryBytes();
                r.done.accept(d.ok());
                return;
            }
        }
        long wake = r.machine.wakeAtMillis();
        if (!r.over && wake != Long.MAX_VALUE && wake != r.wakeScheduledMillis) {
            r.wakeScheduledMillis = wake;
            sim.afterOn(r.initiator, wake - sim.nowMillis(), () -> {
                if (!r.over) {
                    perform(r, r.machine.onTime(sim.nowMillis()));
                }
            });
        }
    }

    private void respond(Run r, ExchangeMessage.Request request) {
        int peer = r.peer;
        PartitionExchangeStore store = new PartitionExchangeStore(stores[peer], request.partition(), bytesThatChanged, !pushOnly[peer]);
        for (ExchangeEffect e : responders[peer].onRequest(sim.name(r.initiator), request, store, sim.nowMillis())) {
            if (e instanceof ExchangeEffect.Send s) {
                sim.sendData(peer, r.initiator, () -> {
                    if (!r.over) {
                        perform(r, r.machine.onMessage(s.message(), sim.nowMillis()));
                    }
                });
            }
        }
    }

    @Override
    public long entriesSent() {
        return entriesSent;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bytesThatChanged() {
        return bytesThatChanged[0];
    }
}
