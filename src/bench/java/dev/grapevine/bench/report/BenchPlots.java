package dev.grapevine.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Bar charts, x = N, one bar per series. A system keeps its colour everywhere; its secondary series
 * (churn beside idle, Pekko's unreachable beside removed) take a lighter shade of it, and protocol
 * floors are grey. A value not measured is a missing bar (XChart skips null); every bar carries its
 * value at its foot, so a measured 0 still shows as "0" and cannot be mistaken for a missing one.
 */
final class BenchPlots {
    static final int WIDTH_PX = 800;
    static final int HEIGHT_PX = 500;
    /** Beyond this many bars in a chart a horizontal value label is wider than its bar. */
    private static final int BARS_FOR_HORIZONTAL_LABELS = 12;
    private static final Color FLOOR_COLOUR = new Color(0xBDBDBD);

    private record Series(String name, Color colour, IntFunction<Double> valueAtNodes) {}

    private final Results results;
    private final List<Integer> nodeCounts;

    private BenchPlots(Results results) {
        this.results = results;
        this.nodeCounts = List.copyOf(results.nodeCounts());
    }

    /** Writes the PNGs into {@code dir}; returns the files written (a chart with no data is skipped). */
    static List<Path> write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        BenchPlots p = new BenchPlots(results);
        List<Path> written = new ArrayList<>();
        p.chart(dir, written, "bench-bootstrap", "Bootstrap: all processes up → all list N alive", "ms", "#,##0",
                p.perSystem(Metric.BOOTSTRAP_MS));
        p.chart(dir, written, "bench-crash", "Crash → every survivor holds the verdict", "ms", "#,##0", List.of(
                p.one(BenchSystem.GRAPEVINE, Metric.CRASH_VERDICT_ALL_MS, "Grapevine dead", 0),
                p.one(BenchSystem.SERF, Metric.CRASH_VERDICT_ALL_MS, "Serf failed", 0),
                p.one(BenchSystem.PEKKO, Metric.CRASH_UNREACHABLE_ALL_MS, "Pekko unreachable", 1),
                p.one(BenchSystem.PEKKO, Metric.CRASH_VERDICT_ALL_MS, "Pekko down", 0),
                p.one(BenchSystem.PEKKO, Metric.CRASH_REMOVED_ALL_MS, "Pekko removed", 2),
                new Series("detection floor", FLOOR_COLOUR, n -> (double) Math.round(ProtocolFloors.detectionMs(n)))));
        p.chart(dir, written, "bench-event-median", "Event to all nodes, median", "ms", "#,##0",
                withFloor(p.perSystem(Metric.EVENT_MEDIAN_MS), n -> (double) Math.round(DisseminationFloor.of(n).medianMs())));
        p.chart(dir, written, "bench-event-p99", "Event to all nodes, p99", "ms", "#,##0",
                withFloor(p.perSystem(Metric.EVENT_P99_MS), n -> (double) Math.round(DisseminationFloor.of(n).p99Ms())));
        p.chart(dir, written, "bench-cpu", "CPU per process, median: idle and under churn", "% of one core", "0.00",
                p.idleAndChurn(Metric.IDLE_CPU_PCT, Metric.CHURN_CPU_PCT));
        p.chart(dir, written, "bench-rss", "Idle RSS per process, median", "MiB", "#,##0",
                p.perSystem(Metric.IDLE_RSS_MIB));
        p.chart(dir, written, "bench-bytes", "Bytes/s per node: idle and under churn", "bytes/s", "#,##0",
                p.idleAndChurn(Metric.IDLE_BYTES_PER_S_PER_NODE, Metric.CHURN_BYTES_PER_S_PER_NODE));
        p.chart(dir, written, "bench-fp-loss10", "False positives at 10 % packet loss: healthy nodes declared failed",
                "times", "#,##0.#", p.perSystem(Metric.FP_LOSS10_DECLARED_FAILED));
        p.chart(dir, written, "bench-fp-loss30", "False positives at 30 % packet loss: healthy nodes declared failed",
                "times", "#,##0.#", p.perSystem(Metric.FP_LOSS30_DECLARED_FAILED));
        p.chart(dir, written, "bench-fp-pause", "False positives under process pauses: healthy nodes declared failed",
                "times", "#,##0.#", p.perSystem(Metric.FP_PAUSE_DECLARED_FAILED));
        return written;
    }

    private List<Series> perSystem(Metric metric) {
        List<Series> series = new ArrayList<>();
        for (BenchSystem s : BenchSystem.values()) {
            series.add(one(s, metric, s.label, 0));
        }
        return series;
    }

    private List<Series> idleAndChurn(Metric idle, Metric churn) {
        List<Series> series = new ArrayList<>();
        for (BenchSystem s : BenchSystem.values()) {
            series.add(one(s, idle, s.label + " idle", 0));
            series.add(one(s, churn, s.label + " churn", 1));
        }
        return series;
    }

    /** shade 0 is the system's colour; each step lighter tells its other verdicts apart. */
    private Series one(BenchSystem s, Metric metric, String name, int shade) {
        Color colour = s.colour;
        for (int i = 0; i < shade; i++) colour = lighter(colour);
        return new Series(name, colour, n -> {
            Double v = results.median(n, s, metric);
            return v == null ? null : metric.unit.round(v);
        });
    }

    private static List<Series> withFloor(List<Series> series, IntFunction<Double> floor) {
        List<Series> all = new ArrayList<>(series);
        all.add(new Series("gossip floor", FLOOR_COLOUR, floor));
        return all;
    }

    private void chart(Path dir, List<Path> written, String file, String title, String yTitle, String decimalPattern,
            List<Series> series) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH_PX).height(HEIGHT_PX)
                .title(title).xAxisTitle("N (nodes)").yAxisTitle(yTitle).build();
        style(chart, decimalPattern);
        List<String> categories = nodeCounts.stream().map(String::valueOf).toList();
        double max = 0;
        for (Series s : series) {
            List<Double> ys = nodeCounts.stream().map(n -> s.valueAtNodes().apply(n)).toList();
            if (ys.stream().allMatch(Objects::isNull)) {
                continue;   // a series nobody measured would only add a legend entry with no bar
            }
            chart.addSeries(s.name(), categories, ys).setFillColor(s.colour());
            max = Math.max(max, ys.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(0));
        }
        if (chart.getSeriesMap().isEmpty()) {
            System.err.println("BenchReport: no data for " + file + ".png, not written");
            return;
        }
        if (chart.getSeriesMap().size() * categories.size() > BARS_FOR_HORIZONTAL_LABELS) {
            chart.getStyler().setLabelsRotation(90);   // narrow bars: "1,210" would run into its neighbours
        }
        if (max == 0) {
            chart.getStyler().setYAxisMax(1.0);   // all zeros: give the axis a range so the "0" labels sit on it
        }
        Path png = dir.resolve(file + ".png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        written.add(png);
    }

    private static void style(CategoryChart chart, String decimalPattern) {
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xDDDDDD));
        st.setPlotBorderVisible(false);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setYAxisMin(0.0);
        st.setYAxisDecimalPattern(decimalPattern);
        st.setDecimalPattern(decimalPattern);
        // Labels at the foot of the bar, in one dark colour: XChart draws them inside the bar, so at the
        // top a 0 would fall below the axis, and its automatic white-on-dark would vanish there.
        st.setLabelsVisible(true);
        st.setLabelsPosition(0);
        st.setLabelsFontColorAutomaticEnabled(false);
        st.setLabelsFontColor(new Color(0x212121));
        st.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAvailableSpaceFill(0.85);
        st.setOverlapped(false);
    }

    /** Halfway to white: the same hue, visibly a second series. */
    private static Color lighter(Color c) {
        return new Color((c.getRed() + 255) / 2, (c.getGreen() + 255) / 2, (c.getBlue() + 255) / 2);
    }
}
