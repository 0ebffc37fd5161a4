package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one message costs in time through Artery alone, the floor under a gossip hop: two actor
 * systems in this JVM, on loopback over Artery TCP with Pekko's defaults, pass a timestamp back and
 * forth with a pause between round trips, as a quiet cluster's messages come. The same round trip
 * between two actors of one system is measured beside it. Prints one JSON line.
 */
@Command(name = "artery-round-trip", mixinStandardHelpOptions = true,
        description = "Round-trip time of one message over Artery TCP on loopback, and between two local actors.")
public final class ArteryRoundTrip implements Callable<Integer> {
    @Option(names = "--round-trips", defaultValue = "300", description = "round trips measured, after as many to warm up")
    int roundTrips;

    @Option(names = "--gap-ms", defaultValue = "20", description = "pause between round trips, so that threads park between them")
    int gapMs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ArteryRoundTrip()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (roundTrips < 1 || gapMs < 0) throw new CommandLine.ParameterException(new CommandLine(this), "--round-trips >= 1 and --gap-ms >= 0");
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        ActorSystem<Long> a = ActorSystem.create(record(arrivals), "a", remote());
        ActorSystem<Long> b = ActorSystem.create(Behaviors.setup(ctx -> echoTo(resolve(ctx.getSystem(), a))), "b", remote());
        try {
            ActorRef<Long> remoteEcho = resolve(a, b);
            ActorRef<Long> localEcho = a.systemActorOf(echoTo(a), "local-echo", org.apache.pekko.actor.typed.Props.empty());
            measure(remoteEcho, arrivals);   // warm-up: connections, handshakes, the JIT
            List<Long> remote = measure(remoteEcho, arrivals);
            measure(localEcho, arrivals);
            List<Long> local = measure(localEcho, arrivals);
            ObjectNode out = Http.JSON.createObjectNode();
            out.put("round_trips", roundTrips);
            out.put("gap_ms", gapMs);
            out.put("artery_tcp_rtt_ms_median", Stats.median(remote) / 1e6);
            out.put("artery_tcp_rtt_ms_p99", Stats.p99(remote) / 1e6);
            out.put("local_rtt_ms_median", Stats.median(local) / 1e6);
            out.put("local_rtt_ms_p99", Stats.p99(local) / 1e6);
            System.out.println(Http.JSON.writeValueAsString(out));
            return 0;
        } finally {
            a.terminate();
            b.terminate();
        }
    }

    private List<Long> measure(ActorRef<Long> echo, BlockingQueue<Long> arrivals) throws InterruptedException {
        List<Long> rttNanos = new ArrayList<>(roundTrips);
        for (int i = 0; i < roundTrips; i++) {
            long sent = System.nanoTime();
            echo.tell(sent);
            Long back = arrivals.poll(10, TimeUnit.SECONDS);
            if (back == null) throw new BenchFailure("no reply within 10 s");
            rttNanos.add(System.nanoTime() - back);
            Poll.sleep(java.time.Duration.ofMillis(gapMs));
        }
        return rttNanos;
    }

    private static Config remote() {
        return ConfigFactory.parseString("pekko.actor.provider = remote\n"
                + "pekko.remote.artery.canonical { hostname = \"127.0.0.1\", port = 0 }\n"
                + "pekko.loglevel = WARNING\n").withFallback(ConfigFactory.load());
    }

    private static Behavior<Long> record(BlockingQueue<Long> arrivals) {
        return Behaviors.receiveMessage(sent -> {
            arrivals.add(sent);
            return Behaviors.same();
        });
    }

    private static Behavior<Long> echoTo(ActorRef<Long> back) {
        return Behaviors.receiveMessage(sent -> {
            back.tell(sent);
            return Behaviors.same();
        });
    }

    /** The guardian of {@code target}, as {@code from} reaches it over Artery. */
    private static ActorRef<Long> resolve(ActorSystem<?> from, ActorSystem<?> target) {
        return ActorRefResolver.get(from).resolveActorRef(target.address() + "/user");
    }
}
