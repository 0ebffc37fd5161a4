package dev.grapevine.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core must stay a pure step machine, or the simulator stops meaning anything: no Pekko, no
 * config library, no clock, no threads, no global randomness, and no imports from the layers above.
 */
class CorePurityTest {

    private static final Path CORE = Path.of("src/main/java/dev/grapevine/core");

    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("import\\s+org\\.apache\\.pekko"),
            Pattern.compile("import\\s+com\\.typesafe"),
            Pattern.compile("import\\s+dev\\.grapevine\\.(sim|runtime|api|ops)\\b"),
            Pattern.compile("System\\.(currentTimeMillis|nanoTime)"),
            Pattern.compile("(Instant|LocalDateTime|LocalDate|ZonedDateTime|OffsetDateTime)\\.now"),
            Pattern.compile("java\\.time\\.Clock|\\bClock\\.system"),
            Pattern.compile("ThreadLocalRandom|new\\s+Random\\s*\\(|Math\\.random|new\\s+SplittableRandom\\s*\\(\\s*\\)"),
            Pattern.compile("\\bnew\\s+Thread\\b|\\bThread\\.sleep|java\\.util\\.concurrent|\\bsynchronized\\b"),
            Pattern.compile("java\\.io\\.File|java\\.nio\\.file|java\\.net\\."));

    @Test
    void coreSourcesAreFreeOfPekkoClocksThreadsAndGlobalRandomness() throws IOException {
        List<String> offences = new ArrayList<>();
        int files;
        try (Stream<Path> paths = Files.walk(CORE)) {
            List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            for (Path file : sources) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                        continue;
                    }
                    for (Pattern p : FORBIDDEN) {
                        if (p.matcher(line).find()) {
                            offences.add(CORE.relativize(file) + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "found only " + files + " core sources under " + CORE.toAbsolutePath());
        assertEquals(List.of(), offences);
    }
}
