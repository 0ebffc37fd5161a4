package dev.grapevine.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeSettings;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes against the code, as {@link DeployConfigTest} checks the other deploy files: the
 * manifests are parsed as YAML (kubectl's syntax, checked here since no cluster is at hand), and the
 * node a pod would run is resolved from the ConfigMap and the pod's environment exactly as the agent
 * resolves it, then compared with the ports, probes, volumes and Service the manifests declare.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/kubernetes");
    /** Launcher variables bin/grapevine reads besides the config's. */
    private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\$\\{?(GRAPEVINE_[A-Z_]+)");
    /** The values the downward API gives a sample pod. */
    private static final Map<String, String> SAMPLE_POD = Map.of("metadata.name", "grapevine-1", "status.podIP", "10.244.1.7",
            "metadata.namespace", "default");

    // ------------------------------------------------------------------------------- reading

    /** Every document of every manifest of the directory, by kind (each kind appears once). */
    static Map<String, Map<String, Object>> manifests() throws IOException {
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        for (Path file : yamlFiles()) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (Object doc : load(file)) {
                Map<String, Object> m = map(doc, file.toString());
                String kind = (String) m.get("kind");
                assertNotNull(kind, file + ": a document without kind");
                assertNotNull(m.get("apiVersion"), file + ": " + kind + " without apiVersion");
                assertNotNull(map(m.get("metadata"), file + " " + kind + " metadata").get("name"), file + ": " + kind + " without a name");
                assertFalse(byKind.containsKey(kind), file + ": a second " + kind + "; this test reads one of each");
                byKind.put(kind, m);
            }
        }
        return byKind;
    }

    static List<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(DIR, "*.yaml")) {
            dir.forEach(files::add);
        }
        files.sort(null);
        assertFalse(files.isEmpty(), DIR + ": no manifests");
        return files;
    }

    static List<Object> load(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            fail(file + ": not valid YAML: " + e.getMessage());
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String where) {
        assertTrue(node instanceof Map, where + ": expected a mapping, got " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String where) {
        assertTrue(node instanceof List, where + ": expected a list, got " + node);
        return (List<Object>) node;
    }

    /** The value at a dotted path of mappings. */
    static Object at(Map<String, Object> root, String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            node = map(node, path).get(key);
            assertNotNull(node, "no " + path + " (missing " + key + ")");
        }
        return node;
    }

    /** The element of a list of mappings whose {@code name} is {@code name}. */
    static Map<String, Object> named(Object list, String name, String where) {
        for (Object item : list(list, where)) {
            if (name.equals(map(item, where).get("name"))) {
                return map(item, where);
            }
        }
        return fail(where + ": nothing named " + name);
    }

    static Map<String, Object> container(Map<String, Map<String, Object>> m) {
        List<Object> containers = list(at(m.get("StatefulSet"), "spec.template.spec.containers"), "containers");
        assertEquals(1, containers.size(), "StatefulSet: one container expected");
        return map(containers.get(0), "container");
    }

    static int containerPort(Map<String, Map<String, Object>> m, String name) {
        return ((Number) named(container(m).get("ports"), name, "container ports").get("containerPort")).intValue();
    }

    static Map<String, String> configMapData(Map<String, Map<String, Object>> m) {
        Map<String, String> data = new LinkedHashMap<>();
        map(at(m.get("ConfigMap"), "data"), "ConfigMap data").forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    /**
     * The container's environment as a sample pod gets it: the image's ENV, then the StatefulSet's
     * env with the downward API and ConfigMap references filled in.
     */
    static Map<String, String> podEnvironment(Map<String, Map<String, Object>> m) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(DeployConfigTest.dockerfile().env());
        Map<String, String> data = configMapData(m);
        String configMapName = (String) at(m.get("ConfigMap"), "metadata.name");
        assertFalse(container(m).containsKey("envFrom"), "StatefulSet: name each variable (env), so this test sees it");
        for (Object item : list(container(m).get("env"), "container env")) {
            Map<String, Object> e = map(item, "env");
            String name = (String) e.get("name");
            String where = "StatefulSet env " + name;
            if (e.containsKey("value")) {
                // Kubernetes expands $(VAR) of variables defined before this one.
                Matcher ref = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(String.valueOf(e.get("value")));
                StringBuilder value = new StringBuilder();
                while (ref.find()) {
                    assertTrue(env.containsKey(ref.group(1)), where + ": $(" + ref.group(1) + ") is not defined before it");
                    ref.appendReplacement(value, Matcher.quoteReplacement(env.get(ref.group(1))));
                }
                ref.appendTail(value);
                env.put(name, value.toString());
                continue;
            }
            Map<String, Object> from = map(e.get("valueFrom"), where);
            if (from.containsKey("fieldRef")) {
                String field = (String) map(from.get("fieldRef"), where).get("fieldPath");
                assertTrue(SAMPLE_POD.containsKey(field), where + ": fieldRef " + field + " not modelled here");
                env.put(name, SAMPLE_POD.get(field));
            } else if (from.containsKey("configMapKeyRef")) {
                Map<String, Object> ref = map(from.get("configMapKeyRef"), where);
                assertEquals(configMapName, ref.get("name"), where + ": configMapKeyRef to another ConfigMap");
                String key = (String) ref.get("key");
                assertTrue(data.containsKey(key), where + ": the ConfigMap has no key " + key);
                env.put(name, data.get(key));
            } else {
                fail(where + ": valueFrom " + from.keySet() + " not modelled here");
            }
        }
        return env;
    }

    /** The --config file of the container's command, and the ConfigMap text mounted there. */
    static String mountedConfig(Map<String, Map<String, Object>> m) {
        List<Object> command = list(container(m).get("command"), "container command");
        int i = command.indexOf("--config");
        assertTrue(i > 0 && i + 1 < command.size(), "StatefulSet: the command has no --config FILE: " + command);
        Path file = Path.of((String) command.get(i + 1));
        Map<String, Object> mount = null;
        for (Object item : list(container(m).get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> vm = map(item, "volumeMount");
            if (file.startsWith(Path.of((String) vm.get("mountPath")))) {
                mount = vm;
            }
        }
        assertNotNull(mount, "StatefulSet: no volume mounted where --config " + file + " is");
        Map<String, Object> volume = named(at(m.get("StatefulSet"), "spec.template.spec.volumes"), (String) mount.get("name"), "volumes");
        Map<String, Object> configMap = map(volume.get("configMap"), "volume " + mount.get("name"));
        assertEquals(at(m.get("ConfigMap"), "metadata.name"), configMap.get("name"), "volume " + mount.get("name") + ": ConfigMap");
        String relative = Path.of((String) mount.get("mountPath")).relativize(file).toString();
        String key = relative;
        if (configMap.containsKey("items")) {
            key = null;
            for (Object item : list(configMap.get("items"), "items")) {
                if (relative.equals(map(item, "item").get("path"))) {
                    key = (String) map(item, "item").get("key");
                }
            }
        }
        String text = configMapData(m).get(key);
        assertNotNull(text, "ConfigMap: no key " + key + " for --config " + file);
        return text;
    }

    private static final Pattern INCLUDE = Pattern.compile("include\\s+file\\(\"([^\"]+)\"\\)");

    /**
     * The config the agent of a sample pod resolves: the mounted file over the image's production
     * config that it includes, over the defaults, with the pod's environment for ${?VAR}.
     */
    static Config podConfig(Map<String, Map<String, Object>> m) throws IOException {
        String text = mountedConfig(m);
        Matcher include = INCLUDE.matcher(text);
        assertTrue(include.find(), "ConfigMap config: expected include file(\"...production.conf\")");
        assertEquals(Path.of("conf/production.conf"), DeployConfigTest.inProject(include.group(1), "ConfigMap config include"),
                "ConfigMap config: the include must be the image's production config");
        // The include is the first statement, so it is the fallback of everything the file sets itself.
        Config own = ConfigFactory.parseString(include.replaceFirst(""));
        // Then the node's Pekko tuning under the defaults, as the agent stacks them.
        return own.withFallback(ConfigFactory.parseFile(Path.of("conf/production.conf").toFile()))
                .withFallback(NodeBootstrap.PEKKO_TUNING)
                .withFallback(ConfigFactory.load())
                .withFallback(ConfigFactory.parseMap(podEnvironment(m)))
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    }

    // --------------------------------------------------------------------------------- tests

    @Test
    void theKustomizationListsEveryManifest() throws IOException {
        Map<String, Object> k = map(load(DIR.resolve("kustomization.yaml")).get(0), "kustomization.yaml");
        Set<String> listed = new TreeSet<>();
        list(k.get("resources"), "kustomization.yaml resources").forEach(r -> listed.add((String) r));
        Set<String> present = new TreeSet<>();
        for (Path f : yamlFiles()) {
            if (!f.getFileName().toString().equals("kustomization.yaml")) {
                present.add(f.getFileName().toString());
            }
        }
        assertEquals(present, listed, "kustomization.yaml resources must be exactly the manifests of " + DIR);
        Set<String> kinds = manifests().keySet();
        assertEquals(Set.of("ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy"), kinds);
    }

    @Test
    void containerPortsAreTheProductionConfigsPorts() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Config defaults = DeployConfigTest.resolve(Path.of("conf/production.conf"), Map.of());
        assertEquals(defaults.getInt("pekko.remote.artery.canonical.port"), containerPort(m, "gossip"), "gossip containerPort");
        assertEquals(Address.parse(defaults.getString("grapevine.admin.http")).port(), containerPort(m, "admin"), "admin containerPort");

        Config pod = podConfig(m);
        assertEquals(containerPort(m, "gossip"), DeployConfigTest.canonical(pod).port(), "the pod's gossip port");
        Address admin = Address.parse(pod.getString("grapevine.admin.http"));
        assertEquals(containerPort(m, "admin"), admin.port(), "the pod's admin port");
        // The kubelet probes the pod IP: loopback would fail every probe.
        assertEquals("0.0.0.0", admin.host(), "grapevine.admin.http in a pod");
    }

    @Test
    void anAdminApiOffLoopbackReadsItsTokenFromAMountedSecret() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Config pod = podConfig(m);
        Address admin = Address.parse(pod.getString("grapevine.admin.http"));
        assertFalse(AdminSettings.loopback(admin.host()), "this test is about an admin API off loopback");
        Path tokenFile = Path.of(pod.getString(AdminSettings.TOKEN_FILE));
        assertTrue(tokenFile.isAbsolute(), AdminSettings.TOKEN_FILE + " = " + tokenFile + ": without it the agent refuses to start");
        Map<String, Object> mount = null;
        for (Object item : list(container(m).get("volumeMounts"), "volumeMounts")) {
            if (tokenFile.getParent().toString().equals(map(item, "volumeMount").get("mountPath"))) {
                mount = map(item, "volumeMount");
            }
        }
        assertNotNull(mount, "StatefulSet: nothing is mounted at the token file's directory " + tokenFile.getParent());
        assertEquals(Boolean.TRUE, mount.get("readOnly"), "the token's mount is read-only");
        Map<String, Object> secret = null;
        for (Object v : list(at(m.get("StatefulSet"), "spec.template.spec.volumes"), "volumes")) {
            if (mount.get("name").equals(map(v, "volume").get("name"))) {
                secret = map(map(v, "volume").get("secret"), "the token's volume: a Secret");
            }
        }
        assertNotNull(secret, "the token's volume " + mount.get("name") + " is not declared");
        assertEquals(0400, ((Number) secret.get("defaultMode")).intValue(), "the agent refuses a token others may read");
        boolean hasFile = false;
        for (Object item : list(secret.get("items"), "the Secret's items")) {
            hasFile |= tokenFile.getFileName().toString().equals(map(item, "item").get("path"));
        }
        assertTrue(hasFile, "the Secret's items do not include " + tokenFile.getFileName());
        String readme = Files.readString(DIR.resolve("README.md"));
        assertTrue(readme.contains("kubectl create secret generic " + secret.get("secretName")),
                "README.md tells how to create the Secret " + secret.get("secretName"));
    }

    @Test
    void probesCallTheHealthRoutesOnTheAdminPort() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Map<String, Object> c = container(m);
        // HTTPS only when the pod's admin API has TLS files; a probe of the wrong scheme always fails.
        String scheme = podConfig(m).getString(AdminSettings.TLS_DIR).isEmpty() ? "HTTP" : "HTTPS";
        for (Map.Entry<String, String> probe : Map.of("livenessProbe", HealthHttp.LIVE_PATH, "readinessProbe", HealthHttp.READY_PATH,
                "startupProbe", HealthHttp.LIVE_PATH).entrySet()) {
            Map<String, Object> httpGet = map(at(map(c, "container"), probe.getKey() + ".httpGet"), probe.getKey());
            assertEquals(probe.getValue(), httpGet.get("path"), probe.getKey() + " path");
            assertEquals("admin", httpGet.get("port"), probe.getKey() + " port");
            assertEquals(scheme, httpGet.getOrDefault("scheme", "HTTP"), probe.getKey() + " scheme");
        }
    }

    /** The API group and version Kubernetes serves each kind at (the others were removed in 1.25 or before). */
    private static final Map<String, String> API_VERSIONS = Map.of("ConfigMap", "v1", "Service", "v1", "StatefulSet", "apps/v1",
            "PodDisruptionBudget", "policy/v1", "NetworkPolicy", "networking.k8s.io/v1");
    /** A port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and inner hyphens, with a letter. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

    @Test
    void everyObjectHasAServedApiVersionAndSelectsThePodsByTheirLabels() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        m.forEach((kind, object) -> assertEquals(API_VERSIONS.get(kind), object.get("apiVersion"), kind + " apiVersion"));

        Map<String, Object> podLabels = map(at(m.get("StatefulSet"), "spec.template.metadata.labels"), "pod labels");
        Map<String, Object> selectors = new LinkedHashMap<>();
        selectors.put("StatefulSet spec.selector", at(m.get("StatefulSet"), "spec.selector.matchLabels"));
        selectors.put("PodDisruptionBudget spec.selector", at(m.get("PodDisruptionBudget"), "spec.selector.matchLabels"));
        selectors.put("Service spec.selector", at(m.get("Service"), "spec.selector"));
        selectors.put("NetworkPolicy spec.podSelector", at(m.get("NetworkPolicy"), "spec.podSelector.matchLabels"));
        for (Object rule : list(at(m.get("NetworkPolicy"), "spec.ingress"), "NetworkPolicy ingress")) {
            for (Object from : list(map(rule, "ingress rule").get("from"), "ingress from")) {
                selectors.put("NetworkPolicy ingress from", at(map(from, "from"), "podSelector.matchLabels"));
            }
        }
        selectors.forEach((where, selector) -> {
            Map<String, Object> labels = map(selector, where);
            assertFalse(labels.isEmpty(), where + " selects every pod of the namespace");
            labels.forEach((k, v) -> assertEquals(v, podLabels.get(k), where + " " + k + ": the pods are labelled " + podLabels));
        });

        // Ports named by the others are the container's, and every name is one Kubernetes accepts.
        Set<String> containerPorts = new TreeSet<>();
        for (Object p : list(container(m).get("ports"), "container ports")) {
            String name = (String) map(p, "port").get("name");
            assertTrue(name != null && PORT_NAME.matcher(name).matches(), "container port name " + name);
            containerPorts.add(name);
        }
        for (Object p : list(at(m.get("Service"), "spec.ports"), "Service ports")) {
            String name = (String) map(p, "port").get("name");
            assertTrue(name != null && PORT_NAME.matcher(name).matches(), "Service port name " + name);
        }
        for (Object rule : list(at(m.get("NetworkPolicy"), "spec.ingress"), "NetworkPolicy ingress")) {
            for (Object p : list(map(rule, "ingress rule").get("ports"), "ingress ports")) {
                Object port = map(p, "ingress port").get("port");
                assertTrue(port instanceof String ? containerPorts.contains(port) : Integer.valueOf(containerPort(m, "gossip")).equals(port),
                        "NetworkPolicy port " + port + " is none of the container's " + containerPorts);
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertTrue(containerPorts.contains((String) at(container(m), probe + ".httpGet.port")), probe + " port");
        }
    }

    @Test
    void everyVariableThePodSetsIsReadByTheConfigOrTheLauncher() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Set<String> read = new TreeSet<>(DeployConfigTest.productionVariables());
        Matcher launcher = LAUNCHER_VARIABLE.matcher(Files.readString(Path.of("bin/grapevine")));
        while (launcher.find()) {
            read.add(launcher.group(1));
        }
        for (Object item : list(container(m).get("env"), "container env")) {
            String name = (String) map(item, "env").get("name");
            assertTrue(read.contains(name), "StatefulSet env " + name + " is read by neither conf/production.conf nor bin/grapevine "
                    + "(they read " + read + ")");
        }
        // And every GRAPEVINE_* the ConfigMap holds reaches the container.
        Map<String, String> env = podEnvironment(m);
        for (String key : configMapData(m).keySet()) {
            if (key.startsWith("GRAPEVINE_")) {
                assertEquals(configMapData(m).get(key), env.get(key), "ConfigMap " + key + " is not the container's " + key);
            }
        }
    }

    @Test
    void aPodResolvesToAValidNodeNamedAfterItWithDiscoveryOn() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Config pod = podConfig(m);
        Address gossip = DeployConfigTest.canonical(pod);
        assertEquals(new Address(SAMPLE_POD.get("status.podIP"), 7946), gossip, "the pod's canonical address");
        NodeSettings settings = DeployConfigTest.settings(pod, gossip, "a pod of " + DIR);
        assertEquals(SAMPLE_POD.get("metadata.name"), settings.name(), "node name: the pod's name");
        assertTrue(settings.seeds().isEmpty(), "seeds: none, DNS discovery finds the peers");
        assertTrue(settings.discovery().enabled(), "grapevine.discovery.dns-name is not set");
        assertEquals(Optional.of(configMapData(m).get("GRAPEVINE_JOIN_DNS")), settings.discovery().dnsName());
        assertTrue(settings.discovery().lookupTimeout().compareTo(settings.discovery().interval()) <= 0,
                "lookup-timeout above interval: rounds would skip");

        // The data dir is the claimed volume, not the read-only root filesystem.
        Path dataDir = settings.dataDir().orElseThrow(() -> new AssertionError("no data dir"));
        Map<String, Object> mount = null;
        for (Object item : list(container(m).get("volumeMounts"), "volumeMounts")) {
            if (dataDir.toString().equals(map(item, "volumeMount").get("mountPath"))) {
                mount = map(item, "volumeMount");
            }
        }
        assertNotNull(mount, "StatefulSet: nothing is mounted at the data dir " + dataDir);
        boolean claimed = false;
        for (Object t : list(at(m.get("StatefulSet"), "spec.volumeClaimTemplates"), "volumeClaimTemplates")) {
            claimed |= mount.get("name").equals(at(map(t, "volumeClaimTemplate"), "metadata.name"));
        }
        assertTrue(claimed, "StatefulSet: the data dir's volume " + mount.get("name") + " is no volumeClaimTemplate");
    }

    @Test
    void theSrvNameIsTheHeadlessServicesGossipPort() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Map<String, Object> service = m.get("Service");
        String serviceName = (String) at(service, "metadata.name");
        assertEquals(serviceName, at(m.get("StatefulSet"), "spec.serviceName"), "StatefulSet serviceName");
        assertEquals("None", at(service, "spec.clusterIP"), "the Service must be headless");
        assertEquals(Boolean.TRUE, at(service, "spec.publishNotReadyAddresses"),
                "publishNotReadyAddresses: pods must find each other before they are ready");
        assertEquals(at(m.get("StatefulSet"), "spec.template.metadata.labels"), at(service, "spec.selector"),
                "the Service must select the StatefulSet's pods");

        String dnsName = configMapData(m).get("GRAPEVINE_JOIN_DNS");
        Matcher srv = Pattern.compile("_([a-z0-9-]+)\\._(tcp|udp)\\.([a-z0-9-]+)(\\..*)?").matcher(dnsName);
        assertTrue(srv.matches(), "GRAPEVINE_JOIN_DNS is no SRV name: " + dnsName);
        assertEquals(serviceName, srv.group(3), "GRAPEVINE_JOIN_DNS names another Service");
        Map<String, Object> port = named(at(service, "spec.ports"), srv.group(1), "Service " + serviceName + " ports");
        assertEquals(srv.group(2).toUpperCase(java.util.Locale.ROOT), port.getOrDefault("protocol", "TCP"), "Service port protocol");
        assertEquals(containerPort(m, "gossip"), ((Number) port.get("port")).intValue(), "Service port = gossip containerPort");
        assertEquals("gossip", port.get("targetPort"), "Service targetPort");
    }

    @Test
    void aStoppingPodHasTimeToLeave() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        int grace = ((Number) at(m.get("StatefulSet"), "spec.template.spec.terminationGracePeriodSeconds")).intValue();
        assertTrue(grace > AgentCommand.LEAVE_TIMEOUT.toSeconds() + 5,
                "terminationGracePeriodSeconds " + grace + " leaves no room after the " + AgentCommand.LEAVE_TIMEOUT.toSeconds()
                        + " s leave for the JVM to stop");
        // What the pod's agent really gets (grapevine.conf may change any of these): the hand-off and
        // the leave fit in the shutdown phase, and the phase in the grace period, or the kubelet's
        // SIGKILL turns the leave into a crash.
        Config pod = podConfig(m);
        Duration phase = pod.getDuration("pekko.coordinated-shutdown.phases.cluster-leave.timeout");
        Duration handOffAndLeave = pod.getDuration("grapevine.recovery.decommission-timeout")
                .plus(pod.getDuration("grapevine.shutdown.leave-timeout"));
        assertTrue(pod.getBoolean("grapevine.shutdown.leave"), "grapevine.shutdown.leave is off: a stopping pod would look crashed");
        assertTrue(handOffAndLeave.compareTo(phase) <= 0, "decommission-timeout + leave-timeout = " + handOffAndLeave
                + " is over the cluster-leave phase's " + phase + ": the hand-off would be cut short");
        assertTrue(grace > phase.toSeconds() + 5, "terminationGracePeriodSeconds " + grace + " leaves no room after the pod's "
                + phase.toSeconds() + " s cluster-leave phase for the JVM to stop");
        assertFalse(container(m).containsKey("lifecycle"), "a preStop hook runs before SIGTERM and eats the grace period; "
                + "the agent leaves on SIGTERM itself");
        assertEquals(1, at(m.get("PodDisruptionBudget"), "spec.maxUnavailable"), "PodDisruptionBudget maxUnavailable");
        assertEquals(at(m.get("StatefulSet"), "spec.selector.matchLabels"), at(m.get("PodDisruptionBudget"), "spec.selector.matchLabels"),
                "the PodDisruptionBudget must select the StatefulSet's pods");
    }

    @Test
    void eachPodUsesItsOwnCertificateFromTheTlsSecret() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Config pod = podConfig(m);
        assertTrue(pod.getBoolean("grapevine.tls.enabled"), "grapevine.tls.enabled in a pod");
        String dir = pod.getString("grapevine.tls.dir");
        assertEquals("/etc/grapevine-tls/" + SAMPLE_POD.get("metadata.name"), dir, "the pod's grapevine.tls.dir");

        Map<String, Object> mount = null;
        for (Object item : list(container(m).get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> vm = map(item, "volumeMount");
            if (dir.startsWith(vm.get("mountPath") + "/")) {
                mount = vm;
            }
        }
        assertNotNull(mount, "no volume mounted above " + dir);
        assertEquals(Boolean.TRUE, mount.get("readOnly"), "the TLS volume is read-only");
        Map<String, Object> volume = null;
        for (Object item : list(at(m.get("StatefulSet"), "spec.template.spec.volumes"), "volumes")) {
            if (mount.get("name").equals(map(item, "volume").get("name"))) {
                volume = map(item, "volume");
            }
        }
        assertNotNull(volume, "no volume " + mount.get("name"));
        Map<String, Object> secret = map(volume.get("secret"), "the TLS volume's secret");
        assertEquals("grapevine-tls", secret.get("secretName"));
        assertTrue(Files.readString(DIR.resolve("README.md")).contains("kubectl create secret generic grapevine-tls"),
                "README.md tells how to create the Secret grapevine-tls");
        Map<String, String> paths = new LinkedHashMap<>();
        for (Object item : list(secret.get("items"), "secret items")) {
            Map<String, Object> i = map(item, "item");
            paths.put((String) i.get("path"), (String) i.get("key"));
        }
        String prefix = (String) mount.get("mountPath") + "/";
        assertEquals(prefix + paths.keySet().stream().filter(p -> p.equals("deny")).findFirst().orElse("?"),
                pod.getString("grapevine.tls.deny-file"), "the deny file comes from the Secret");
        int replicas = ((Number) at(m.get("StatefulSet"), "spec.replicas")).intValue();
        for (int r = 0; r < replicas; r++) {
            String name = "grapevine-" + r;
            assertEquals("ca.pem", paths.get(name + "/ca.pem"), name + "/ca.pem");
            assertEquals(name + ".pem", paths.get(name + "/node.pem"), name + "/node.pem");
            assertEquals(name + "-key.pem", paths.get(name + "/node-key.pem"), name + "/node-key.pem");
        }
    }

    @Test
    void thePodRunsAsTheImagesUserOnAReadOnlyRoot() throws IOException {
        Map<String, Map<String, Object>> m = manifests();
        Map<String, Object> podSecurity = map(at(m.get("StatefulSet"), "spec.template.spec.securityContext"), "securityContext");
        assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"), "runAsNonRoot");
        String user = DeployConfigTest.dockerfile().only("USER");
        assertTrue(user.matches("\\d+:\\d+"), "deploy/Dockerfile: USER must be numeric uid:gid for runAsNonRoot, got " + user);
        assertEquals(user, podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup"), "runAsUser:runAsGroup");
        assertEquals(Boolean.TRUE, at(container(m), "securityContext.readOnlyRootFilesystem"), "readOnlyRootFilesystem");
        Set<String> mounted = new TreeSet<>();
        list(container(m).get("volumeMounts"), "volumeMounts").forEach(v -> mounted.add((String) map(v, "mount").get("mountPath")));
        assertTrue(mounted.contains("/tmp"), "the JVM writes /tmp: mount a volume there, got " + mounted);
        // The image's entrypoint launcher, so the pod runs what the image was built to run.
        List<Object> command = list(container(m).get("command"), "command");
        assertEquals(DeployConfigTest.dockerfile().entrypoint().subList(0, 2), command.subList(0, 2), "command: the image's launcher and agent");
    }
}
