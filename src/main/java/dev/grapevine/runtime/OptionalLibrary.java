package dev.grapevine.runtime;

/**
 * A library that the Grapevine artifact depends on optionally. A project that embeds Grapevine gets
 * Pekko, Typesafe Config, the SLF4J API and Jackson; it adds one of these only when it turns on the
 * feature that needs it. The agent (grapevine.jar and its lib/) always has them all.
 *
 * <p>A feature checks for its library before the first of its classes that use the library loads,
 * so a missing one stops the feature with one line naming the Maven artifact, not with a
 * {@code NoClassDefFoundError} from deep inside a node. {@code OptionalLibraryTest} keeps these
 * coordinates equal to pom.xml's.
 */
public enum OptionalLibrary {
    /** TLS between nodes ({@code grapevine.tls}): reads the PEM files. */
    BOUNCY_CASTLE("org.bouncycastle.openssl.PEMParser", "org.bouncycastle", "bcpkix-jdk18on", "1.87"),
    /** Seed discovery from DNS ({@code grapevine.discovery.dns-name}). */
    DNSJAVA("org.xbill.DNS.Lookup", "dnsjava", "dnsjava", "3.6.3");

    private final String probeClass;
    private final String groupId;
    private final String artifactId;
    private final String version;

    OptionalLibrary(String probeClass, String groupId, String artifactId, String version) {
        this.probeClass = probeClass;
        this.groupId = groupId;
        this.artifactId = artifactId;
        this.version = version;
    }

    /** {@code groupId:artifactId:version}, the version Grapevine is built and tested with. */
    public String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }

    public boolean present() {
        try {
            // Not initialized: only whether the class is there matters.
            Class.forName(probeClass, false, OptionalLibrary.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Why {@code feature} cannot run in this JVM, or null if its library is on the classpath. */
    public String missingFor(String feature) {
        return present() ? null : feature + " needs " + coordinates() + " on the classpath (an optional "
                + "dependency of dev.grapevine:grapevine: add it to your build)";
    }

    /** Throws {@link IllegalStateException} with {@link #missingFor} when the library is missing. */
    public void require(String feature) {
        String missing = missingFor(feature);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
    }
}
