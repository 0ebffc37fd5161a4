package dev.grapevine.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment files (deploy/ and conf/) against the code that reads them: every node they
 * describe must resolve, as the agent resolves it, to valid {@link NodeSettings} with the name,
 * address, seeds and admin endpoint the file meant. Nothing here needs Docker or systemd; a typo in
 * a variable name or a seed list would otherwise only show up on a running cluster.
 */
class DeployConfigTest {
    private static final Path PRODUCTION = Path.of("conf/production.conf");
    private static final Path COMPOSE = Path.of("deploy/docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    private static final Path ENV_EXAMPLE = Path.of("deploy/grapevine.env.example");
    private static final Path UNIT = Path.of("deploy/grapevine.service");
    private static final Path LAUNCHER = Path.of("bin/grapevine");
    /** Where the Dockerfile and the systemd unit install the project. */
    private static final String INSTALL_ROOT = "/opt/grapevine/";

    /**
     * A config file resolved as {@code grapevine agent --config file} resolves it, with {@code env}
     * as the process environment. The agent stacks the file over {@code ConfigFactory.load()} and
     * calls {@code resolve()}, which looks a {@code ${?VAR}} up in the config first and then in the
     * environment. The variables as root keys at the bottom of the stack, with the real environment
     * switched off, are the same lookup without depending on the machine that runs the test.
     * ({@code resolveWith(env)} would be the obvious call, but Typesafe Config 1.4 throws
     * BugOrBroken on a {@code key = default, key = ${?VAR}} pair resolved against another source.)
     */
    static Config resolve(Path file, Map<String, String> env) {
        assertTrue(Files.isRegularFile(file), file + ": missing");
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                .withFallback(ConfigFactory.load())
                .withFallback(ConfigFactory.parseMap(env))
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    }

    /** The Artery endpoint a resolved config advertises to peers. */
    static Address canonical(Config config) {
        return new Address(config.getString("pekko.remote.artery.canonical.hostname"),
                config.getInt("pekko.remote.artery.canonical.port"));
    }

    /** NodeSettings.from, failing with the file (and service) whose values it rejected. */
    static NodeSettings settings(Config config, Address gossip, String where) {
        try {
            return NodeSettings.from(config, gossip);
        } catch (IllegalArgumentException e) {
            return fail(where + ": " + e.getMessage(), e);
        }
    }

    static List<Address> seedList(String commaSeparated) {
        List<Address> seeds = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) {
                seeds.add(Address.parse(s.trim()));
            }
        }
        return seeds;
    }

    /** The variables conf/production.conf reads, from its ${?VAR} lines. */
    static Set<String> productionVariables() throws IOException {
        Set<String> vars = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{\\?(GRAPEVINE_[A-Z_]+)}").matcher(Files.readString(PRODUCTION));
        while (m.find()) {
            vars.add(m.group(1));
        }
        assertFalse(vars.isEmpty(), PRODUCTION + ": no ${?GRAPEVINE_*} overrides found");
        return vars;
    }

    @Test
    void resolveMirrorsTheAgent() {
        // The agent reads the real environment; with no GRAPEVINE_* set, both must give the same node.
        assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("GRAPEVINE_")),
                "GRAPEVINE_* variables are set in this environment");
        AgentCommand agent = new AgentCommand();
        agent.config = PRODUCTION.toFile();
        Config viaAgent = agent.configuration();
        Config viaTest = resolve(PRODUCTION, Map.of());
        assertEquals(viaAgent.getConfig("grapevine").root(), viaTest.getConfig("grapevine").root(),
                PRODUCTION + ": the test's resolution differs from AgentCommand.configuration()");
        assertEquals(canonical(viaAgent), canonical(viaTest),
                PRODUCTION + ": the test's canonical address differs from AgentCommand.configuration()");
    }

    // ---------------------------------------------------------------------------------- compose

    /** One service of the compose file, as far as this test reads it. */
    record Service(String name, Map<String, String> environment, List<String> volumes, Map<String, String> keys) {
    }

    /**
     * A line reader for the regular shape of deploy/docker-compose.yml: services at indent 2, their
     * keys at indent 4, list items ("- ...") or sub-keys at indent 6. Anything else fails loudly
     * rather than being skipped, so the file cannot drift out of what this test checks.
     */
    static Map<String, Service> composeServices() throws IOException {
        Map<String, Service> services = new LinkedHashMap<>();
        boolean inServices = false;
        Service current = null;
        String block = null;
        List<String> lines = Files.readAllLines(COMPOSE);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = COMPOSE + ":" + (i + 1);
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            assertFalse(line.contains("\t"), where + ": tab in indentation");
            int indent = line.length() - line.stripLeading().length();
            if (indent == 0) {
                inServices = text.equals("services:");
                current = null;
                continue;
            }
            if (!inServices) {
                continue;
            }
            if (indent == 2) {
                assertTrue(text.endsWith(":"), where + ": expected a service name, got '" + text + "'");
                String name = text.substring(0, text.length() - 1);
                current = new Service(name, new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashMap<>());
                services.put(name, current);
                block = null;
                continue;
            }
            assertNotNull(current, where + ": a key outside any service");
            if (indent == 4) {
                int colon = text.indexOf(':');
                assertTrue(colon > 0, where + ": expected 'key: value', got '" + text + "'");
                String key = text.substring(0, colon);
                String value = unquote(text.substring(colon + 1).strip());
                block = value.isEmpty() ? key : null;
                if (!value.isEmpty()) {
                    current.keys().put(key, value);
                }
                continue;
            }
            assertEquals(6, indent, where + ": unexpected indentation in service " + current.name());
            assertNotNull(block, where + ": service " + current.name() + ": nested value without a block");
            if (text.startsWith("- ")) {
                String item = unquote(text.substring(2).strip());
                if (block.equals("environment")) {
                    int eq = item.indexOf('=');
                    assertTrue(eq > 0, where + ": service " + current.name() + ": expected KEY=VALUE, got '" + item + "'");
                    current.environment().put(item.substring(0, eq), item.substring(eq + 1));
                } else if (block.equals("volumes")) {
                    current.volumes().add(item);
                } else {
                    fail(where + ": service " + current.name() + ": a list under '" + block + "' is not read by this test");
                }
            } else {
                int colon = text.indexOf(':');
                assertTrue(colon > 0, where + ": expected 'key: value', got '" + text + "'");
                assertFalse(block.equals("environment"), where + ": service " + current.name()
                        + ": keep environment as a '- KEY=VALUE' list");
                current.keys().put(block + "." + text.substring(0, colon), unquote(text.substring(colon + 1).strip()));
            }
        }
        return services;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)}");

    /**
     * Compose interpolation as with an empty shell environment: {@code ${VAR:-default}} gives the
     * default. Any other form depends on the caller's shell, so it is refused here.
     */
    static String interpolate(String value, String where) {
        String out = DEFAULTED.matcher(value).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        assertFalse(out.contains("$"), where + ": only ${VAR:-default} can be checked here, got '" + value + "'");
        return out;
    }

    @Test
    void composeServicesResolveToTheNodesTheyDescribe() throws IOException {
        Map<String, Service> services = composeServices();
        assertTrue(services.size() >= 3, COMPOSE + ": expected at least 3 services, found " + services.keySet());
        Dockerfile image = dockerfile();
        String dataDir = image.env().get("GRAPEVINE_DATA_DIR");
        assertNotNull(dataDir, DOCKERFILE + ": ENV sets no GRAPEVINE_DATA_DIR");

        // A container's environment is the image's ENV overlaid with the service's environment.
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        for (Service s : services.values()) {
            Map<String, String> env = new LinkedHashMap<>(image.env());
            s.environment().forEach((k, v) -> env.put(k, interpolate(v, COMPOSE + " service " + s.name() + " " + k)));
            envs.put(s.name(), env);
        }
        Map<Address, String> endpoints = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : envs.entrySet()) {
            Map<String, String> env = e.getValue();
            String where = COMPOSE + " service " + e.getKey();
            for (String var : List.of("GRAPEVINE_NODE", "GRAPEVINE_HOST", "GRAPEVINE_PORT", "GRAPEVINE_SEEDS",
                    "GRAPEVINE_PROFILE", "GRAPEVINE_HTTP")) {
                assertTrue(env.containsKey(var), where + ": environment has no " + var);
            }
            String previous = endpoints.put(new Address(env.get("GRAPEVINE_HOST"), Integer.parseInt(env.get("GRAPEVINE_PORT"))),
                    e.getKey());
            assertNull(previous, where + ": same gossip endpoint as service " + previous);
        }

        Set<String> names = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (Service s : services.values()) {
            String where = COMPOSE + " service " + s.name();
            Map<String, String> env = envs.get(s.name());
            // Peers reach a container by its service name on the compose network.
            assertEquals(s.name(), env.get("GRAPEVINE_HOST"), where + ": GRAPEVINE_HOST must be the service name");
            assertEquals(s.name(), env.get("GRAPEVINE_NODE"), where + ": GRAPEVINE_NODE");

            Config config = resolve(PRODUCTION, env);
            Address gossip = canonical(config);
            assertEquals(env.get("GRAPEVINE_HOST"), gossip.host(), where + ": pekko.remote.artery.canonical.hostname");
            assertEquals(Integer.parseInt(env.get("GRAPEVINE_PORT")), gossip.port(), where + ": pekko.remote.artery.canonical.port");
            NodeSettings settings = settings(config, gossip, where);
            assertEquals(s.name(), settings.name(), where + ": node name");
            assertTrue(names.add(settings.name()), where + ": node name " + settings.name() + " is not unique");
            assertEquals(Profile.LAN, settings.profile(), where + ": profile (with GRAPEVINE_PROFILE unset in the shell)");
            assertEquals(seedList(env.get("GRAPEVINE_SEEDS")), settings.seeds(), where + ": seeds");
            assertFalse(settings.seeds().isEmpty(), where + ": no seeds, so this node cannot rejoin alone after a restart");
            for (Address seed : settings.seeds()) {
                String target = endpoints.get(seed);
                assertNotNull(target, where + ": seed " + seed + " is no service's GRAPEVINE_HOST:GRAPEVINE_PORT");
                assertFalse(target.equals(s.name()), where + ": seeds itself");
            }
            String http = config.getString("grapevine.admin.http");
            assertEquals(env.get("GRAPEVINE_HTTP"), http, where + ": grapevine.admin.http");
            assertEquals("127.0.0.1", Address.parse(http).host(), where + ": the admin API must stay on the container's loopback");
            assertEquals(Optional.of(Path.of(dataDir)), settings.dataDir(), where + ": data dir");

            String[] volume = s.volumes().get(0).split(":");
            assertEquals(dataDir, volume[1], where + ": the first volume must be mounted on the data dir");
            assertTrue(volumes.add(volume[0]), where + ": volume " + volume[0] + " is shared with another service");
            // Mutual TLS: the node's own certificate directory, read-only, where grapevine.tls.dir points,
            // and the deny file's directory; nothing else.
            assertTrue(config.getBoolean("grapevine.tls.enabled"), where + ": grapevine.tls.enabled");
            String tlsDir = config.getString("grapevine.tls.dir");
            List<String> tlsMounts = s.volumes().stream().filter(v -> v.split(":")[1].equals(tlsDir)).toList();
            assertEquals(List.of("./tls/" + s.name() + ":" + tlsDir + ":ro"), tlsMounts,
                    where + ": mount the node's own TLS directory (and no other node's) at " + tlsDir);
            Path denyDir = Path.of(config.getString("grapevine.tls.deny-file")).getParent();
            assertTrue(s.volumes().stream().anyMatch(v -> v.split(":")[1].equals(denyDir.toString()) && v.endsWith(":ro")),
                    where + ": the deny file's directory " + denyDir + " is not mounted read-only");
            assertEquals(3, s.volumes().size(), where + ": expected data, TLS and deny-file volumes, got " + s.volumes());

            assertEquals("SIGTERM", s.keys().get("stop_signal"), where + ": stop_signal");
            assertNotNull(s.keys().get("stop_grace_period"), where + ": stop_grace_period");
            assertEquals("on-failure", s.keys().get("restart"), where + ": restart");
            Path context = COMPOSE.getParent().resolve(s.keys().getOrDefault("build.context", "?")).normalize();
            assertTrue(Files.isRegularFile(context.resolve("pom.xml")), where + ": build.context is not the project root");
            assertEquals(DOCKERFILE.normalize(), context.resolve(s.keys().getOrDefault("build.dockerfile", "?")).normalize(),
                    where + ": build.dockerfile");
        }
    }

    // -------------------------------------------------------------------------------- Dockerfile

    record Dockerfile(Map<String, String> env, List<String> entrypoint, List<String> instructions) {
        String only(String instruction) {
            List<String> found = instructions.stream().filter(i -> i.startsWith(instruction + " ")).toList();
            assertEquals(1, found.size(), DOCKERFILE + ": expected one " + instruction + ", found " + found);
            return found.get(0).substring(instruction.length() + 1).strip();
        }
    }

    /** Instructions of deploy/Dockerfile with continuation lines joined; ENV of the last (runtime) stage. */
    static Dockerfile dockerfile() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String text = line.strip();
            if (pending.length() == 0 && (text.isEmpty() || text.startsWith("#"))) {
                continue;
            }
            if (text.endsWith("\\")) {
                pending.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            instructions.add(pending.append(text).toString().replaceAll("\\s+", " "));
            pending.setLength(0);
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        for (String i : instructions) {
            if (i.startsWith("FROM ")) {
                env.clear(); // ENV does not cross stages
            } else if (i.startsWith("ENV ")) {
                for (String pair : i.substring(4).strip().split(" ")) {
                    int eq = pair.indexOf('=');
                    assertTrue(eq > 0, DOCKERFILE + ": write ENV as KEY=VALUE pairs, got '" + pair + "'");
                    env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                }
            } else if (i.startsWith("ENTRYPOINT ")) {
                entrypoint = Arrays.asList(Json.MAPPER.readValue(i.substring(11), String[].class));
            }
        }
        return new Dockerfile(env, entrypoint, instructions);
    }

    /** A path inside the installed copy, as the path of the same file in this project. */
    static Path inProject(String installed, String where) {
        assertTrue(installed.startsWith(INSTALL_ROOT), where + ": " + installed + " is not under " + INSTALL_ROOT);
        return Path.of(installed.substring(INSTALL_ROOT.length()));
    }

    @Test
    void dockerfileRunsTheAgentOnTheProductionConfig() throws IOException {
        Dockerfile d = dockerfile();
        List<String> entry = d.entrypoint();
        assertTrue(entry.size() >= 4, DOCKERFILE + ": ENTRYPOINT must be an exec-form JSON array, got " + entry);
        assertEquals(LAUNCHER, inProject(entry.get(0), DOCKERFILE + " ENTRYPOINT"), DOCKERFILE + ": ENTRYPOINT launcher");
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + ": not executable, and the image copies its mode");
        assertEquals("agent", entry.get(1), DOCKERFILE + ": ENTRYPOINT command");
        int config = entry.indexOf("--config");
        assertTrue(config > 0 && config + 1 < entry.size(), DOCKERFILE + ": ENTRYPOINT has no --config FILE");
        Path conf = inProject(entry.get(config + 1), DOCKERFILE + " ENTRYPOINT --config");
        assertEquals(PRODUCTION, conf, DOCKERFILE + ": ENTRYPOINT --config");
        assertTrue(Files.isRegularFile(conf), DOCKERFILE + ": ENTRYPOINT --config " + conf + " does not exist");

        // The advertised address must come from each container: a default here would be 0.0.0.0
        // or loopback, which peers cannot reach.
        assertFalse(d.env().containsKey("GRAPEVINE_HOST"), DOCKERFILE + ": ENV must not set GRAPEVINE_HOST");
        assertEquals(d.env().get("GRAPEVINE_DATA_DIR"), d.only("VOLUME"), DOCKERFILE + ": VOLUME must be the data dir");
        assertEquals("SIGTERM", d.only("STOPSIGNAL"), DOCKERFILE + ": STOPSIGNAL");
        // bin/grapevine runs target/grapevine.jar next to bin/, with target/lib on the jar's class path.
        assertTrue(d.instructions().stream().anyMatch(i -> i.startsWith("COPY ") && i.contains("target/grapevine.jar")
                && i.endsWith(INSTALL_ROOT + "target/grapevine.jar")), DOCKERFILE + ": the jar must go to " + INSTALL_ROOT + "target/");
        assertTrue(d.instructions().stream().anyMatch(i -> i.startsWith("COPY ") && i.endsWith(INSTALL_ROOT + "target/lib/")),
                DOCKERFILE + ": the libs must go to " + INSTALL_ROOT + "target/lib/");
    }

    @Test
    void dockerHealthcheckAsksTheReadyRouteOfTheAdminApi() throws IOException {
        Dockerfile d = dockerfile();
        String check = d.only("HEALTHCHECK");
        int cmd = check.indexOf("CMD ");
        assertTrue(cmd >= 0, DOCKERFILE + ": HEALTHCHECK has no CMD: " + check);
        String command = check.substring(cmd + 4);
        Matcher url = Pattern.compile("http://\\$\\{?([A-Z_]+)}?(/[a-z/]+)").matcher(command);
        assertTrue(url.find(), DOCKERFILE + ": HEALTHCHECK asks no http://${VAR}/path: " + command);
        assertEquals(HealthHttp.READY_PATH, url.group(2), DOCKERFILE + ": HEALTHCHECK path");
        // The admin API listens where GRAPEVINE_HTTP says (production.conf reads it), so the check
        // must ask that same variable, which the image sets.
        assertEquals("GRAPEVINE_HTTP", url.group(1), DOCKERFILE + ": HEALTHCHECK address");
        assertNotNull(d.env().get("GRAPEVINE_HTTP"), DOCKERFILE + ": ENV sets no GRAPEVINE_HTTP for the HEALTHCHECK");
        assertTrue(productionVariables().contains("GRAPEVINE_HTTP"), PRODUCTION + ": does not read GRAPEVINE_HTTP");
        // A non-2xx answer (503: not ready) must fail the check: curl -f, and exit 1 (2 is reserved).
        assertTrue(command.startsWith("curl ") && command.matches(".*\\s-\\w*f\\w*\\s.*"),
                DOCKERFILE + ": HEALTHCHECK must fail on an HTTP error (curl -f): " + command);
        assertTrue(command.endsWith("|| exit 1"), DOCKERFILE + ": HEALTHCHECK must exit 1 when unhealthy: " + command);
    }

    // --------------------------------------------------------------------------- systemd and env

    /** KEY=VALUE lines of a file that has no other syntax than comments (and [sections]). */
    static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";") || text.startsWith("[")) {
                continue;
            }
            int eq = text.indexOf('=');
            assertTrue(eq > 0, file + ":" + (i + 1) + ": expected KEY=VALUE, got '" + text + "'");
            String previous = values.put(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
            assertNull(previous, file + ":" + (i + 1) + ": " + text.substring(0, eq) + " is set twice");
        }
        return values;
    }

    @Test
    void systemdUnitStopsWithALeaveAndRestartsOnFailure() throws IOException {
        Map<String, String> unit = keyValues(UNIT);
        assertEquals("SIGTERM", unit.get("KillSignal"), UNIT + ": KillSignal (SIGTERM is the graceful leave)");
        assertEquals("on-failure", unit.get("Restart"), UNIT + ": Restart");
        String exec = unit.getOrDefault("ExecStart", "");
        Matcher m = Pattern.compile("(\\S+) agent --config (\\S+)").matcher(exec);
        assertTrue(m.matches(), UNIT + ": ExecStart must be '<launcher> agent --config <file>', got '" + exec + "'");
        assertEquals(LAUNCHER, inProject(m.group(1), UNIT + " ExecStart"), UNIT + ": ExecStart launcher");
        assertTrue(unit.getOrDefault("EnvironmentFile", "").startsWith("-"),
                UNIT + ": EnvironmentFile should be optional ('-' prefix) so the config file alone can start a node");

        // The data dir of the example env must be the one the unit creates and may write to.
        String stateDir = "/var/lib/" + unit.get("StateDirectory");
        assertEquals(stateDir, keyValues(ENV_EXAMPLE).get("GRAPEVINE_DATA_DIR"),
                ENV_EXAMPLE + ": GRAPEVINE_DATA_DIR must be the StateDirectory of " + UNIT);
        assertTrue(unit.getOrDefault("ReadWritePaths", "").contains(stateDir),
                UNIT + ": ReadWritePaths must include " + stateDir + " (ProtectSystem=strict makes the rest read-only)");
    }

    @Test
    void envExampleResolvesToAValidNode() throws IOException {
        Map<String, String> env = keyValues(ENV_EXAMPLE);
        for (String var : productionVariables()) {
            assertTrue(env.containsKey(var), ENV_EXAMPLE + ": no example for " + var + ", which " + PRODUCTION + " reads");
        }
        Config config = resolve(PRODUCTION, env);
        Address gossip = canonical(config);
        assertEquals(new Address(env.get("GRAPEVINE_HOST"), Integer.parseInt(env.get("GRAPEVINE_PORT"))), gossip,
                ENV_EXAMPLE + ": pekko.remote.artery.canonical");
        NodeSettings settings = settings(config, gossip, ENV_EXAMPLE.toString());
        assertEquals(env.get("GRAPEVINE_NODE"), settings.name(), ENV_EXAMPLE + ": node name");
        assertEquals(Profile.parse(env.get("GRAPEVINE_PROFILE")), settings.profile(), ENV_EXAMPLE + ": profile");
        assertEquals(seedList(env.get("GRAPEVINE_SEEDS")), settings.seeds(), ENV_EXAMPLE + ": seeds");
        assertFalse(settings.seeds().contains(gossip), ENV_EXAMPLE + ": seeds itself");
        assertEquals(Optional.of(Path.of(env.get("GRAPEVINE_DATA_DIR"))), settings.dataDir(), ENV_EXAMPLE + ": data dir");
        assertEquals(env.get("GRAPEVINE_HTTP"), config.getString("grapevine.admin.http"), ENV_EXAMPLE + ": grapevine.admin.http");
        assertTrue(config.getBoolean("grapevine.tls.enabled"), ENV_EXAMPLE + ": grapevine.tls.enabled");
        assertEquals(env.get("GRAPEVINE_TLS_DIR"), config.getString("grapevine.tls.dir"), ENV_EXAMPLE + ": grapevine.tls.dir");
        assertTrue(AdminSettings.loopback(Address.parse(env.get("GRAPEVINE_HTTP")).host())
                || !config.getString(AdminSettings.TOKEN_FILE).isBlank(), ENV_EXAMPLE + ": an admin API off loopback needs a token file");
    }

    @Test
    void dockerAndComposeKeepTheAdminApiOnLoopback() throws IOException {
        // Off loopback the agent would refuse to start without a token; these mount none.
        Matcher http = Pattern.compile("GRAPEVINE_HTTP=(\\S+)").matcher(
                Files.readString(Path.of("deploy/Dockerfile")) + Files.readString(Path.of("deploy/docker-compose.yml")));
        int found = 0;
        while (http.find()) {
            found++;
            assertTrue(AdminSettings.loopback(Address.parse(http.group(1)).host()), "GRAPEVINE_HTTP=" + http.group(1));
        }
        assertTrue(found >= 2, "the Dockerfile and the compose file set GRAPEVINE_HTTP");
    }

    // ------------------------------------------------------------------------------- conf/local

    @Test
    void localConfigsDescribeDistinctNodesOnOneHost() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("conf/local"), "node*.conf")) {
            dir.forEach(files::add);
        }
        files.sort(null);
        assertTrue(files.size() >= 2, "conf/local: expected node*.conf files, found " + files);

        // All share one host: every gossip and admin endpoint must be distinct from every other.
        Map<Address, String> ports = new LinkedHashMap<>();
        Map<Address, String> gossipEndpoints = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        Set<Optional<Path>> dataDirs = new HashSet<>();
        List<NodeSettings> nodes = new ArrayList<>();
        for (Path file : files) {
            Config config = resolve(file, Map.of());
            Address gossip = canonical(config);
            NodeSettings settings = settings(config, gossip, file.toString());
            nodes.add(settings);
            Address http = Address.parse(config.getString("grapevine.admin.http"));
            for (Map.Entry<Address, String> use : List.of(Map.entry(gossip, "gossip port"), Map.entry(http, "admin.http"))) {
                String previous = ports.put(use.getKey(), file + " " + use.getValue());
                assertNull(previous, file + ": " + use.getValue() + " " + use.getKey() + " is also the " + previous);
            }
            gossipEndpoints.put(gossip, file.toString());
            assertTrue(names.add(settings.name()), file + ": node name " + settings.name() + " is not unique");
            // Two nodes sharing a data dir would share one epoch file and one peers file.
            assertTrue(settings.dataDir().isPresent() && dataDirs.add(settings.dataDir()),
                    file + ": data dir " + settings.dataDir() + " missing or shared");
        }
        for (int i = 0; i < files.size(); i++) {
            for (Address seed : nodes.get(i).seeds()) {
                assertTrue(gossipEndpoints.containsKey(seed), files.get(i) + ": seed " + seed + " is no local node's gossip endpoint");
            }
        }
    }
}
