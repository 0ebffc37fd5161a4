package dev.grapevine.ops;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.kv.KvService;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless browser (Debian's Chromium and ChromeDriver) against three nodes
 * in this JVM: it shows the members alive, then one node crashes and the page, fed by its event
 * stream, shows it suspected, then dead, with an event line for each; a page opened after the crash
 * shows those lines too, from the node's list of its latest events; then the admin API stops and
 * starts again, and the page reconnects and reloads what changed meanwhile. Skipped where no browser
 * is installed. Leaves a screenshot of the page after the crash in target/dashboard.png.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration FORMED = Duration.ofSeconds(30);
    /** Suspicion takes at least 3 s in the local profile, failure up to six times that. */
    private static final Duration DECLARED = Duration.ofSeconds(60);
    /** Markup in a tag must show as text. */
    private static final String MARKUP_TAG = "<b>v43</b>";

    private static final List<ActorSystem<Void>> systems = new ArrayList<>();
    private static WebDriver browser;
    private static KvService n1Kv;
    private static AdminServer admin;
    private static String ui;

    private static final String NO_BROWSER = "DashboardBrowserTest skipped: no headless browser here; it needs " + CHROMIUM
            + " and " + CHROMEDRIVER + " (Debian's chromium and chromium-driver): install them with bin/install-browser";

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        if (!browserInstalled()) {
            System.err.println(NO_BROWSER); // the report says so too; this line is for whoever watches the build
            return;
        }
        ActorSystem<Void> n1 = node("n1", null, dir, "role=web");
        String seed = Grapevine.get(n1).address();
        node("n2", seed, dir, "role=db");
        node("n3", seed, dir, "role=worker");
        n1Kv = KvService.start(n1);
        admin = admin(n1, n1Kv, 0);
        ui = "http://127.0.0.1:" + admin.address().getPort() + "/ui";
        browser = browser(dir.resolve("chromium-profile"));
    }

    private static AdminServer admin(ActorSystem<Void> n1, KvService kv, int port) throws java.io.IOException {
        return new AdminHttp(n1, Grapevine.get(n1), Map.of("node", "n1", "address", Grapevine.get(n1).address(),
                "profile", "local"), kv).bind(new InetSocketAddress("127.0.0.1", port));
    }

    private static ActorSystem<Void> node(String name, String seed, Path dir, String tag) {
        String[] kv = tag.split("=", 2);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\n"
                                + "grapevine.shutdown.leave = off\n" // the test crashes n3 by terminating its system
                                + "grapevine { profile = local, node.name = " + name + ", node.data-dir = \""
                                + dir.resolve(name).toString().replace("\\", "/") + "\" }\n"
                                + "grapevine.node.tags." + kv[0] + " = " + kv[1] + "\n"
                                + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        systems.add(system);
        Grapevine.get(system);
        if (!name.equals("n1")) {
            KvService.start(system); // n1's starts with its admin API
        }
        return system;
    }

    /** Chromium and its driver at fixed paths, so Selenium never looks for (or downloads) its own. */
    private static WebDriver browser(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1200,820");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    @Test
    void thePageFollowsACrashedMemberFromSuspectedToDeadAndReloadsAfterAnOutage() throws Exception {
        Assumptions.assumeTrue(browserInstalled(), NO_BROWSER);
        browser.get(ui);
        until(FORMED, "three alive members and a live stream", () -> statuses().equals(List.of("alive", "alive", "alive"))
                && "live".equals(js("return document.getElementById('connection').dataset.state")));
        assertEquals(List.of("n1", "n2", "n3"), names(), "members are listed by name");

        Grapevine n2 = Grapevine.get(systems.get(1));
        n2.setTags(Map.of("role", "db", "release", MARKUP_TAG));
        until(FORMED, "n2's new tags", () -> tags("n2").equals(List.of("release=" + MARKUP_TAG, "role=db")));
        assertEquals(0L, js("return document.querySelectorAll('#members b').length"), "a tag is text, never markup");
        assertTrue(eventLine("n2", "updated").contains("n2 updated at 127.0.0.1:"), eventLine("n2", "updated"));
        n2.sendUserEvent("deploy", "v43".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        until(FORMED, "the user event", () -> eventLine(null, "user").endsWith("user event \"deploy\" from n2: v43"));
        assertEquals("n1", (String) js("return document.querySelector('#node dd').textContent"), "the node's own name heads the page");

        ActorSystem<Void> n3 = systems.get(2);
        n3.terminate(); // a crash: its peers hear no leave
        n3.getWhenTerminated().toCompletableFuture().join();

        until(DECLARED, "n3 suspected", () -> "suspect".equals(status("n3")) && text("suspects").equals("n3"));
        until(DECLARED, "n3 dead", () -> "dead".equals(status("n3")));
        assertEquals("none", text("suspects"));
        assertEquals("1", text("count-dead"));
        assertEquals("2", text("count-alive"));
        assertTrue(eventLine("n3", "suspected").matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} n3 suspected( \\(by n[12]\\))?"),
                eventLine("n3", "suspected"));
        assertTrue(eventLine("n3", "failed").contains("n3 failed"), eventLine("n3", "failed"));
        until(DECLARED, "the survivors' recovery complete everywhere",
                () -> "yes".equals(js("return document.getElementById('recovery-complete').dataset.complete"))
                        && Long.valueOf(2).equals(js("return document.querySelectorAll('#recovery tbody tr').length")));

        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

        // A page opened after the crash shows it too, from the node's own list of its latest events,
        // each event once although the new page's stream opens with the whole view.
        browser.navigate().refresh();
        until(FORMED, "the reopened page with n3 dead and its events", () -> "dead".equals(status("n3"))
                && "live".equals(js("return document.getElementById('connection').dataset.state"))
                && eventLine("n3", "failed").contains("n3 failed"));
        assertTrue(eventLine("n3", "suspected").contains("n3 suspected"), eventLine("n3", "suspected"));
        assertTrue(eventLine(null, "user").endsWith("user event \"deploy\" from n2: v43"), eventLine(null, "user"));
        assertTrue(eventLine("n2", "updated").contains("n2 updated at 127.0.0.1:"), eventLine("n2", "updated"));
        assertEquals(1L, js("return [...document.querySelectorAll('#events li')]"
                + ".filter(l => l.dataset.member === 'n3' && l.dataset.kind === 'failed').length"), "n3 failed is one line");
        assertEquals(1L, js("return document.querySelectorAll('#events li[data-kind=user]').length"), "the user event is one line");
        // n3's only tag changes were its load's (the node's own grapevine.* tags): the table shows them, the list does not.
        assertEquals("(no updated line for n3)", eventLine("n3", "updated"));

        // The admin API goes away and comes back on the same port; what changed meanwhile shows after.
        int port = admin.address().getPort();
        admin.stop();
        until(FORMED, "the stream lost", () -> !"live".equals(js("return document.getElementById('connection').dataset.state")));
        n2.setTags(Map.of("role", "db", "release", "v44"));
        admin = admin(systems.get(0), n1Kv, port);
        until(FORMED, "the stream back and the state reloaded", () -> tags("n2").equals(List.of("release=v44", "role=db"))
                && "live".equals(js("return document.getElementById('connection').dataset.state")));
        assertTrue(eventLine(null, "note").contains("event stream reopened"), eventLine(null, "note"));
        assertEquals("dead", status("n3"));
    }

    private static void until(Duration deadline, String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, deadline, Duration.ofMillis(50)).withMessage("the page never showed " + what)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** Runs in the page in one go, so a re-render between finding an element and reading it cannot interfere. */
    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    private static List<String> statuses() {
        return (List<String>) js("return [...document.querySelectorAll('#members tbody tr[data-member]')]"
                + ".map(tr => tr.dataset.status)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> names() {
        return (List<String>) js("return [...document.querySelectorAll('#members tbody tr[data-member] td.name')]"
                + ".map(td => td.textContent)");
    }

    private static String status(String member) {
        return (String) js("const tr = [...document.querySelectorAll('#members tbody tr')].find(r => r.dataset.member === arguments[0]);"
                + "return tr ? tr.dataset.status : null", member);
    }

    @SuppressWarnings("unchecked")
    private static List<String> tags(String member) {
        return (List<String>) js("const tr = [...document.querySelectorAll('#members tbody tr')].find(r => r.dataset.member === arguments[0]);"
                + "return tr ? [...tr.querySelectorAll('.tag')].map(t => t.textContent) : []", member);
    }

    /** The first (latest) event line of this kind about this member: its time and text. */
    private static String eventLine(String member, String kind) {
        String line = (String) js("const li = [...document.querySelectorAll('#events li')]"
                + ".find(l => (l.dataset.member ?? null) === arguments[0] && l.dataset.kind === arguments[1]);"
                + "return li ? li.querySelector('time').textContent + ' ' + li.querySelector('.text').textContent : null",
                member, kind);
        return line != null ? line : "(no " + kind + " line for " + member + ")";
    }

    private static String text(String id) {
        return (String) js("return document.getElementById(arguments[0]).textContent", id);
    }
}
