package dev.grapevine.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition, parsed line by line: each family's type, and each sample's value. */
record Exposition(Map<String, String> types, Map<String, Double> samples) {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)( \\d+)?");

    static Exposition parse(String text) {
        Map<String, String> types = new TreeMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("not a sample line: " + line);
                }
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return new Exposition(types, samples);
    }

    /** The value of {@code series} ({@code name} or {@code name{label="v",...}} as written), or null. */
    Double value(String series) {
        return samples.get(series);
    }

    /** The value of the one sample of {@code name} whose labels include {@code label="value"}, or null. */
    Double value(String name, String label, String value) {
        String needle = label + "=\"" + value + "\"";
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") && e.getKey().contains(needle))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Every value {@code label} takes in the samples of {@code name}. */
    java.util.Set<String> labelValues(String name, String label) {
        Pattern p = Pattern.compile(label + "=\"([^\"]*)\"");
        java.util.Set<String> values = new java.util.TreeSet<>();
        samples.keySet().stream().filter(k -> k.startsWith(name + "{")).forEach(k -> {
            Matcher m = p.matcher(k);
            if (m.find()) {
                values.add(m.group(1));
            }
        });
        return values;
    }
}
