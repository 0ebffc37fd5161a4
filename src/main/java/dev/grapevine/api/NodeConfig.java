package dev.grapevine.api;

import com.typesafe.config.Config;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeHandle;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node's {@code grapevine.*} settings, read and checked by {@link NodeBootstrap#read}. */
public final class NodeConfig {
    private final NodeHandle.ReadSettings read;

    NodeConfig(NodeHandle.ReadSettings read) {
        this.read = read;
    }

    /** The node's name: {@code grapevine.node.name}, or its endpoint. */
    public String name() {
        return read.name();
    }

    /** The Artery endpoint the settings were read for. */
    public Address address() {
        return read.address();
    }

    public Profile profile() {
        return read.profile();
    }

    /** The protocol's timings and limits, the profile's with the configured overrides. */
    public Settings protocol() {
        return read.protocol();
    }

    public List<Address> seeds() {
        return read.seeds();
    }

    public Optional<Path> dataDir() {
        return read.dataDir();
    }

    /** The configured tags ({@code grapevine.node.tags}). */
    public Map<String, String> tags() {
        return read.tags();
    }

    /** The DNS name peers are discovered from ({@code grapevine.discovery.dns-name}), if set. */
    public Optional<String> joinDns() {
        return read.dnsName();
    }

    /**
     * The setup to create the actor system with ({@code ActorSystem.create(behavior, name, setup)}):
     * {@code config}, and these settings for the node to start from.
     */
    public ActorSystemSetup systemSetup(Config config) {
        return ActorSystemSetup.create(BootstrapSetup.create(config), read);
    }
}
