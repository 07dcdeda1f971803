package dlx.launcher.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real registries on both sides: a worker's meters go through a JSON snapshot into the supervisor's. */
class MeterRelayTest {
    private final PrometheusMeterRegistry supervisor = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterRelay relay = new MeterRelay(supervisor);

    private static PrometheusMeterRegistry worker() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        return r;
    }

    /** The exposition's samples by series (name and labels), the comments left out. */
    private Map<String, Double> samples() {
        return Arrays.stream(supervisor.scrape().split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
                .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
                        (a, b) -> { throw new AssertionError("a series exposed twice"); }));
    }

    private void relay(PrometheusMeterRegistry worker) throws Exception {
        // through the wire format, as the channel carries it
        relay.apply(Channel.JSON.readTree(Channel.JSON.writeValueAsString(MeterSnapshots.of(worker))));
    }

    @Test
    void gaugesCountersAndTimersArriveWithTheirNamesAndTheWorkersJvmMetersAreRenamed() throws Exception {
        new JvmMemoryMetrics().bindTo(supervisor); // the supervisor's own JVM meters keep their names
        PrometheusMeterRegistry worker = worker();
        AtomicInteger active = new AtomicInteger(1);
        Gauge.builder("dlx.run.active", active, AtomicInteger::get).tags("experiment", "a.b", "run_id", "r1")
                .description("1 while the experiment runs").register(worker);
        Counter.builder("it.calls").description("calls").register(worker).increment(3);
        Timer.builder("dlx.run.duration").tags("experiment", "a.b").description("wall time of a run").register(worker)
                .record(Duration.ofMillis(1500));
        relay(worker);

        Map<String, Double> s = samples();
        assertThat(s).containsEntry("dlx_run_active{experiment=\"a.b\",run_id=\"r1\"}", 1.0)
                .containsEntry("it_calls_total", 3.0)
                .containsEntry("dlx_run_duration_seconds_count{experiment=\"a.b\"}", 1.0)
                .containsEntry("dlx_run_duration_seconds_sum{experiment=\"a.b\"}", 1.5)
                .containsEntry("dlx_run_duration_seconds_max{experiment=\"a.b\"}", 1.5);
        assertThat(s.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("worker_jvm_memory_used_bytes{"));
        String exposition = supervisor.scrape();
        assertThat(exposition).contains("# HELP it_calls_total calls");
        assertThat(exposition.lines().filter(l -> l.startsWith("# TYPE ")).collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting())).values()).as("no family twice").allMatch(n -> n == 1);

        // the worker removes the run's gauge: so does the relay
        worker.remove(worker.get("dlx.run.active").gauge());
        relay(worker);
        assertThat(samples().keySet()).noneMatch(k -> k.startsWith("dlx_run_active"));
    }

    @Test
    void countsStayMonotonicAcrossWorkersAndTheSupervisorsOwnRecordsCount() throws Exception {
        PrometheusMeterRegistry first = worker();
        Counter.builder("dlx.runs").tags("experiment", "a.b", "status", "ok").description("finished runs").register(first).increment(2);
        AtomicInteger value = new AtomicInteger(42);
        Gauge.builder("dlx.it.value", value, AtomicInteger::get).tags("run_id", "r1").description("a metric").register(first);
        relay(first);
        relay.workerEnded(); // it died
        relay.countRun("a.b", "failed", 2.0);
        Map<String, Double> afterDeath = samples();
        assertThat(afterDeath).containsEntry("dlx_runs_total{experiment=\"a.b\",status=\"ok\"}", 2.0)
                .containsEntry("dlx_runs_total{experiment=\"a.b\",status=\"failed\"}", 1.0)
                .containsEntry("dlx_it_value{run_id=\"r1\"}", 42.0); // a finished run's gauge keeps its value
        assertThat(afterDeath.keySet()).noneMatch(k -> k.startsWith("worker_jvm_"));

        PrometheusMeterRegistry second = worker(); // a fresh worker counts from 0 again
        Counter.builder("dlx.runs").tags("experiment", "a.b", "status", "ok").description("finished runs").register(second).increment();
        relay(second);
        assertThat(samples()).containsEntry("dlx_runs_total{experiment=\"a.b\",status=\"ok\"}", 3.0)
                .containsEntry("dlx_run_duration_seconds_count{experiment=\"a.b\"}", 1.0)
                .containsEntry("dlx_run_duration_seconds_sum{experiment=\"a.b\"}", 2.0);
        assertThat(samples().keySet()).anyMatch(k -> k.startsWith("worker_jvm_memory_used_bytes{"));
    }

    /** The worker's own exposition's samples of the families named, for comparison. */
    private static Map<String, Double> samplesOf(PrometheusMeterRegistry r, String... families) {
        return Arrays.stream(r.scrape().split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
                .filter(l -> Arrays.stream(families).anyMatch(l::startsWith))
                .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
    }

    @Test
    void aPluginsHistogramsArriveAsTheWorkerWouldExposeThemAndKeepCountingAcrossWorkers() throws Exception {
        String[] families = {"it_sizes_bytes", "it_lengths", "it_step_seconds"};
        PrometheusMeterRegistry first = worker();
        DistributionSummary sizes = DistributionSummary.builder("it.sizes").baseUnit("bytes").tags("experiment", "a.b")
                .description("sizes seen").serviceLevelObjectives(1, 10, 100).register(first);
        DistributionSummary lengths = DistributionSummary.builder("it.lengths").description("lengths seen").register(first);
        Timer step = Timer.builder("it.step").description("step times").serviceLevelObjectives(Duration.ofMillis(100),
                Duration.ofSeconds(1)).register(first);
        for (double v : new double[] {0.5, 5, 5, 50, 500}) {
            sizes.record(v);
            lengths.record(2 * v);
            step.record(Duration.ofMillis((long) (4 * v)));
        }
        relay(first);
        Map<String, Double> expected = samplesOf(first, families);
        assertThat(expected).containsEntry("it_sizes_bytes_bucket{experiment=\"a.b\",le=\"10.0\"}", 3.0)
                .containsEntry("it_lengths_count", 5.0).containsEntry("it_step_seconds_bucket{le=\"1.0\"}", 4.0)
                .containsEntry("it_step_seconds_max", 2.0).containsKey("it_lengths_max");
        Map<String, Double> relayed = samples();
        assertThat(relayed).containsAllEntriesOf(expected);
        assertThat(relayed.keySet().stream().filter(k -> Arrays.stream(families).anyMatch(k::startsWith)))
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        String exposition = supervisor.scrape();
        assertThat(exposition).contains("# TYPE it_sizes_bytes histogram").contains("# TYPE it_lengths summary")
                .contains("# HELP it_sizes_bytes sizes seen");
        dlx.launcher.sweep.Dist.promtoolAccepts(exposition); // valid and lint-clean, where promtool is installed

        // the worker dies; the next one records more: counts and buckets add up
        relay.workerEnded();
        PrometheusMeterRegistry second = worker();
        DistributionSummary.builder("it.sizes").baseUnit("bytes").tags("experiment", "a.b").description("sizes seen")
                .serviceLevelObjectives(1, 10, 100).register(second).record(7);
        relay(second);
        assertThat(samples()).containsEntry("it_sizes_bytes_bucket{experiment=\"a.b\",le=\"10.0\"}", 4.0)
                .containsEntry("it_sizes_bytes_bucket{experiment=\"a.b\",le=\"+Inf\"}", 6.0)
                .containsEntry("it_sizes_bytes_count{experiment=\"a.b\"}", 6.0)
                .containsEntry("it_sizes_bytes_sum{experiment=\"a.b\"}", 567.5)
                .containsEntry("it_lengths_count", 5.0);
    }
}
