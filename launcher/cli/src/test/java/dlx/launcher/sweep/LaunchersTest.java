package dlx.launcher.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dlx.api.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch script and the Kubernetes manifest as written (their real use is in SlurmIT). */
class LaunchersTest {
    @TempDir
    Path dir;

    private SweepPlan plan() throws Exception {
        SweepPlan p = SweepPlanner.plan(SweepFixtures.catalog(), SweepSpec.ofCommandLine(List.of("demo.train"),
                Map.of("learningRate", "0.1,0.01,0.001"), null), Profile.QUICK, dir.resolve("results")).plan();
        p.freeze();
        return p;
    }

    @Test
    void arraySpecsAreRangesWithTheParallelism() {
        assertThat(Slurm.arraySpec(List.of(0, 1, 2, 3), 2)).isEqualTo("0-3%2");
        assertThat(Slurm.arraySpec(List.of(7, 0, 1, 2, 5, 9, 8), null)).isEqualTo("0-2,5,7-9");
        assertThat(Slurm.arraySpec(List.of(4), 1)).isEqualTo("4%1");
    }

    @Test
    void theBatchScriptAsksForTheWarningAndRequeuesItsOwnTask() throws Exception {
        SweepPlan plan = plan();
        String script = Slurm.script(plan, new Slurm.Options("gpu", "2:00:00", 4, "8G", "gpu:1", 2, "proj",
                List.of("--qos=long"), 90, 3), List.of("/opt/dlx dir/bin/dlx", "run", "--sweep", plan.planFile().toString()));
        assertThat(script).startsWith("#!/bin/bash\n")
                .contains("#SBATCH --signal=B:USR1@90\n", "#SBATCH --requeue\n", "#SBATCH --open-mode=append\n",
                        "#SBATCH --partition=gpu\n", "#SBATCH --time=2:00:00\n", "#SBATCH --cpus-per-task=4\n",
                        "#SBATCH --mem=8G\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --account=proj\n", "#SBATCH --qos=long\n",
                        "#SBATCH --output=" + plan.folder().resolve("logs") + "/%A_%a.out\n", "max_requeues=3\n",
                        "trap warned USR1", "scontrol requeue \"$self\"",
                        "self=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}")
                // a path with a space is quoted for the shell
                .contains("'/opt/dlx dir/bin/dlx' run --sweep " + plan.planFile() + " --index \"$index\" &");
        assertThat(Slurm.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Slurm.script(plan, new Slurm.Options(null, null, null, null, null, null, null, List.of(), 0, 0),
                List.of("dlx")).lines().filter(l -> l.startsWith("#SBATCH")).toList())
                .containsExactly("#SBATCH --job-name=dlx-demo.train-" + plan.id(),
                        "#SBATCH --output=" + plan.folder().resolve("logs") + "/%A_%a.out", "#SBATCH --open-mode=append",
                        "#SBATCH --requeue");
    }

    @Test
    void theIndexedJobManifestHasOneCompletionPerRun() throws Exception {
        SweepPlan plan = plan();
        Path manifest = Kubernetes.write(plan, new Kubernetes.Options("registry.example/dlx:0.1", "ml", "dlx-results", "20Gi",
                null, "2", "8Gi", 1, 2, 3, "-XX:MaxRAMPercentage=75"));
        assertThat(manifest).isEqualTo(plan.folder().resolve("k8s-job.yaml"));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(manifest.toFile())) {
            it.forEachRemaining(docs::add);
        }
        assertThat(docs.stream().map(d -> d.get("kind").asText())).containsExactly("ConfigMap", "PersistentVolumeClaim", "Job");
        JsonNode cm = docs.get(0);
        assertThat(new ObjectMapper().readTree(cm.get("data").get("plan.json").asText()))
                .isEqualTo(new ObjectMapper().readTree(plan.planFile().toFile()));
        assertThat(docs.get(1).at("/spec/resources/requests/storage").asText()).isEqualTo("20Gi");
        JsonNode job = docs.get(2);
        assertThat(job.at("/metadata/namespace").asText()).isEqualTo("ml");
        JsonNode spec = job.get("spec");
        assertThat(spec.get("completionMode").asText()).isEqualTo("Indexed");
        assertThat(spec.get("completions").asInt()).isEqualTo(3);
        assertThat(spec.get("parallelism").asInt()).isEqualTo(2);
        assertThat(spec.get("backoffLimitPerIndex").asInt()).isEqualTo(3);
        JsonNode pod = spec.at("/template/spec");
        assertThat(pod.get("restartPolicy").asText()).isEqualTo("Never");
        JsonNode c = pod.at("/containers/0");
        assertThat(c.get("image").asText()).isEqualTo("registry.example/dlx:0.1");
        assertThat(c.at("/args/0").asText()).isEqualTo("exec dlx run --sweep /sweep/plan.json --index \"$JOB_COMPLETION_INDEX\" --out /results");
        assertThat(c.at("/resources/requests/cpu").asText()).isEqualTo("2");
        assertThat(c.at("/resources/limits/memory").asText()).isEqualTo("8Gi");
        assertThat(c.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        Map<String, String> mounts = new LinkedHashMap<>();
        c.get("volumeMounts").forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
        assertThat(mounts).containsEntry("results", "/results").containsEntry("plan", "/sweep");
        assertThat(pod.at("/volumes/0/persistentVolumeClaim/claimName").asText()).isEqualTo("dlx-results");
        assertThat(pod.at("/volumes/1/configMap/name").asText()).isEqualTo(cm.at("/metadata/name").asText());
    }

    @Test
    void kubernetesRefusesAFanOutAndNeedsAnImage() throws Exception {
        SweepPlan fanned = SweepPlanner.plan(SweepFixtures.catalog(), new SweepSpec(null, List.of("demo.study"), null, Map.of(),
                Map.of(), Map.of(), List.of(), Map.of(), 0, 0, new SweepSpec.FanOut(Map.of("onlyX", "xs"), "fitFrom"), "test"),
                Profile.QUICK, dir).plan();
        assertThatThrownBy(() -> Kubernetes.write(fanned, new Kubernetes.Options("img", null, "c", null, null, null, null, 0, 1, 1, "")))
                .hasMessageContaining("use --launcher slurm or local");
        assertThatThrownBy(() -> new Kubernetes.Options(null, null, "c", null, null, null, null, 0, 1, 1, ""))
                .hasMessageContaining("--image is required");
        assertThat(Files.exists(dir.resolve("sweeps"))).isFalse();
    }
}
