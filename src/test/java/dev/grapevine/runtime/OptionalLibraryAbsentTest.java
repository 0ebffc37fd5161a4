package dev.grapevine.runtime;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose classpath lacks dnsjava, as a project that depends on Grapevine without adding it:
 * its settings still read (DiscoverySettings must not load a dnsjava class on the way), and asking
 * for DNS discovery is one config problem that names the artifact; likewise TLS without BouncyCastle's
 * PKIX jar. The classes load in a class loader of their own, from the test classpath without that jar.
 */
class OptionalLibraryAbsentTest {

    private static URLClassLoader withoutDnsjava() throws Exception {
        return without("dnsjava-");
    }

    /** The test classpath without the jars whose file names start with {@code jarPrefix}. */
    private static URLClassLoader without(String jarPrefix) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !Path.of(entry).getFileName().toString().startsWith(jarPrefix)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** NodeSettings.from(config text over the reference config, 127.0.0.1:7946), inside {@code loader}. */
    private static Object settings(ClassLoader loader, String configText) throws Exception {
        Class<?> factory = loader.loadClass("com.typesafe.config.ConfigFactory");
        Class<?> configType = loader.loadClass("com.typesafe.config.Config");
        Object reference = factory.getMethod("load", ClassLoader.class).invoke(null, loader);
        Object config = configType.getMethod("withFallback", loader.loadClass("com.typesafe.config.ConfigMergeable"))
                .invoke(factory.getMethod("parseString", String.class).invoke(null, configText), reference);
        Class<?> address = loader.loadClass("dev.grapevine.core.member.Address");
        Object endpoint = address.getMethod("parse", String.class).invoke(null, "127.0.0.1:7946");
        return loader.loadClass("dev.grapevine.runtime.NodeSettings").getMethod("from", configType, address)
                .invoke(null, config, endpoint);
    }

    @Test
    void withoutDnsjavaANodeStartsAndDnsDiscoveryNamesTheArtifact() throws Exception {
        try (URLClassLoader loader = withoutDnsjava()) {
            Class<?> library = loader.loadClass(OptionalLibrary.class.getName());
            assertEquals(library.getClassLoader(), loader, "the classes under test come from the loader without dnsjava");
            Object dnsjava = library.getField("DNSJAVA").get(null);
            assertEquals(false, library.getMethod("present").invoke(dnsjava));

            settings(loader, "grapevine.node.name = n1"); // no discovery: no dnsjava needed

            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> settings(loader, "grapevine.discovery.dns-name = \"_gossip._tcp.peers.test\""));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("grapevine.discovery.dns-name") && message.contains("DNS discovery needs "
                    + OptionalLibrary.DNSJAVA.coordinates() + " on the classpath"), message);
            assertTrue(!(e.getCause() instanceof LinkageError), "a config problem, not a missing class: " + e.getCause());
        }
    }

    @Test
    void withoutBouncyCastleTlsNamesTheArtifact() throws Exception {
        try (URLClassLoader loader = without("bcpkix-")) {
            Class<?> factory = loader.loadClass("com.typesafe.config.ConfigFactory");
            Class<?> configType = loader.loadClass("com.typesafe.config.Config");
            Object reference = factory.getMethod("load", ClassLoader.class).invoke(null, loader);
            Object config = configType.getMethod("withFallback", loader.loadClass("com.typesafe.config.ConfigMergeable"))
                    .invoke(factory.getMethod("parseString", String.class).invoke(null,
                            "grapevine.tls { enabled = on, dir = \"tls\" }"), reference);
            Class<?> tls = loader.loadClass(NodeHandle.class.getName()); // public: NodeTls is package-private, and another loader is another package
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> tls.getMethod("transport", configType).invoke(null, config));
            assertTrue(e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage().equals(
                    "grapevine.tls (reading PEM files) needs " + OptionalLibrary.BOUNCY_CASTLE.coordinates()
                            + " on the classpath (an optional dependency of dev.grapevine:grapevine: add it to your build)"),
                    String.valueOf(e.getCause()));
        }
    }
}
