package dev.grapevine.ops;

import picocli.CommandLine;

/**
 * The version this build is: the jar manifest's {@code Implementation-Version}, which Maven writes
 * from the pom's version. Shown by {@code grapevine --version} and {@code GET /v1/info}, so both agree.
 */
final class Version implements CommandLine.IVersionProvider {
    /** What a build run from classes, not from the jar (an IDE, the tests), reports. */
    static final String UNPACKAGED = "unpackaged";

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? UNPACKAGED : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"grapevine " + current()};
    }
}
