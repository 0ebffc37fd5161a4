package dev.grapevine.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the harness's JSONL files: one JSON object per line, blank lines ignored. */
final class ResultFiles {
    // Trailing tokens fail: two objects pasted on one line would otherwise silently lose the second.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ResultFiles() {
    }

    static List<BenchRun> read(List<Path> files) throws BadInputException {
        List<BenchRun> runs = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String source = file + ":" + lineNo;
                    try {
                        runs.add(BenchRun.parse(JSON.readTree(line), source));
                    } catch (JsonProcessingException e) {
                        throw new BadInputException(source + ": not JSON: " + e.getOriginalMessage());
                    }
                }
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot read: "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
        }
        return runs;
    }
}
