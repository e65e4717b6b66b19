package dev.llmix.sample.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/prometheus}: the application's meters in the Prometheus text exposition format (version
 * 0.0.4), named as Micrometer's Prometheus registry names them ({@code llmix.calls} → {@code llmix_calls_seconds_*},
 * counters with {@code _total}, base units as suffixes). The sample carries this small exporter because the build is
 * offline and {@code micrometer-registry-prometheus} is not among its dependencies; with that registry on the class
 * path, delete this class and Boot's own endpoint serves the same names (docs/observability.md).
 */
@Component
@Endpoint(id = "prometheus")
public class PrometheusTextEndpoint {

    /** The content type Prometheus expects from a text scrape. */
    public static final String TEXT_FORMAT = "text/plain;version=0.0.4;charset=utf-8";

    private final MeterRegistry registry;

    public PrometheusTextEndpoint(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every meter of the registry as Prometheus samples, families sorted by name. */
    @ReadOperation(produces = TEXT_FORMAT)
    public String scrape() {
        Map<String, Family> families = new TreeMap<>();
        List<Meter> meters = new ArrayList<>(registry.getMeters());
        meters.sort(Comparator.comparing(m -> m.getId().getName()));
        for (Meter meter : meters) {
            write(families, meter);
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(f -> f.appendTo(out));
        return out.toString();
    }

    private static void write(Map<String, Family> families, Meter meter) {
        Meter.Id id = meter.getId();
        String base = sanitize(id.getName());
        // As Micrometer's Prometheus naming: the base unit is a suffix unless the name already ends with it.
        String unit = id.getBaseUnit() == null || base.endsWith("_" + sanitize(id.getBaseUnit())) ? ""
                : "_" + sanitize(id.getBaseUnit());
        List<Tag> tags = id.getTags();
        String help = id.getDescription() == null ? id.getName() : id.getDescription();
        if (meter instanceof Counter c) {
            family(families, base + unit + "_total", "counter", help).add("", tags, c.count());
        } else if (meter instanceof FunctionCounter c) {
            family(families, base + unit + "_total", "counter", help).add("", tags, c.count());
        } else if (meter instanceof TimeGauge g) {
            family(families, base + "_seconds", "gauge", help).add("", tags, g.value(TimeUnit.SECONDS));
        } else if (meter instanceof Gauge g) {
            family(families, base + unit, "gauge", help).add("", tags, g.value());
        } else if (meter instanceof Timer t) {
            histogram(families, base + "_seconds", help, tags, t.takeSnapshot(), true);
        } else if (meter instanceof DistributionSummary s) {
            histogram(families, base + unit, help, tags, s.takeSnapshot(), false);
        } else if (meter instanceof LongTaskTimer t) {
            family(families, base + "_active_count", "gauge", help).add("", tags, t.activeTasks());
            family(families, base + "_duration_seconds", "gauge", help).add("", tags, t.duration(TimeUnit.SECONDS));
        } else if (meter instanceof FunctionTimer t) {
            Family f = family(families, base + "_seconds", "summary", help);
            f.add("_count", tags, t.count());
            f.add("_sum", tags, t.totalTime(TimeUnit.SECONDS));
        } else {
            meter.measure().forEach(m -> family(families,
                    base + "_" + m.getStatistic().name().toLowerCase(Locale.ROOT), "untyped", help)
                    .add("", tags, m.getValue()));
        }
    }

    private static void histogram(Map<String, Family> families, String name, String help, List<Tag> tags,
            HistogramSnapshot s, boolean seconds) {
        CountAtBucket[] buckets = s.histogramCounts();
        Family f = family(families, name, buckets.length > 0 ? "histogram" : "summary", help);
        for (CountAtBucket b : buckets) {
            double le = seconds ? b.bucket(TimeUnit.SECONDS) : b.bucket();
            List<Tag> withLe = new ArrayList<>(tags);
            withLe.add(Tag.of("le", number(le)));
            f.add("_bucket", withLe, b.count());
        }
        if (buckets.length > 0) {
            List<Tag> inf = new ArrayList<>(tags);
            inf.add(Tag.of("le", "+Inf"));
            f.add("_bucket", inf, s.count());
        }
        f.add("_count", tags, s.count());
        f.add("_sum", tags, seconds ? s.total(TimeUnit.SECONDS) : s.total());
        family(families, name + "_max", "gauge", help).add("", tags, seconds ? s.max(TimeUnit.SECONDS) : s.max());
    }

    private static Family family(Map<String, Family> families, String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, type, help));
    }

    /** Prometheus names: letters, digits and underscores. */
    static String sanitize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        return b.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) + ".0" : Double.toString(v);
    }

    /** One metric family: its header and samples. */
    private static final class Family {
        private final String name;
        private final String type;
        private final String help;
        private final StringBuilder samples = new StringBuilder();

        Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void add(String suffix, List<Tag> tags, double value) {
            samples.append(name).append(suffix);
            if (!tags.isEmpty()) {
                samples.append('{');
                for (int i = 0; i < tags.size(); i++) {
                    Tag t = tags.get(i);
                    if (i > 0) {
                        samples.append(',');
                    }
                    samples.append(sanitize(t.getKey())).append("=\"").append(escape(t.getValue())).append('"');
                }
                samples.append('}');
            }
            samples.append(' ').append(number(value)).append('\n');
        }

        void appendTo(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            out.append(samples);
        }

        private static String escape(String v) {
            return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }
    }
}
