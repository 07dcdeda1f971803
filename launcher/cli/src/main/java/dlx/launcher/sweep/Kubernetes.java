package dlx.launcher.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dlx.launcher.UsageException;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sweep as a Kubernetes Indexed Job (written, never applied): {@code completionMode: Indexed},
 * one completion per run of the plan, {@code parallelism}, a retry budget per index
 * ({@code backoffLimitPerIndex}, Kubernetes 1.29+), the plan in a ConfigMap mounted at
 * {@code /sweep}, results on a PersistentVolumeClaim mounted at {@code /results}, and each pod
 * running {@code dlx run --sweep /sweep/plan.json --index $JOB_COMPLETION_INDEX --out /results}.
 * The image must hold the same plugin jars as the machine that planned: a task whose run id
 * differs from the plan's refuses to run (exit 2).
 */
public final class Kubernetes {
    public static final String MANIFEST = "k8s-job.yaml";
    static final String RESULTS = "/results";
    static final String SWEEP = "/sweep";

    /**
     * @param claimSize  when set, the manifest also creates the claim with this size (e.g. {@code 20Gi})
     * @param gpus       {@code nvidia.com/gpu} per pod (0: none)
     */
    public record Options(String image, String namespace, String claim, String claimSize, String storageClass,
                          String cpu, String memory, int gpus, int parallelism, int backoffLimitPerIndex, String javaOpts) {
        public Options {
            if (image == null || image.isBlank()) {
                throw new UsageException("--image is required with --launcher k8s (the image built from the Dockerfile, see docs/sweeps.md)");
            }
            if (parallelism < 1) {
                throw new UsageException("--parallelism must be >= 1, got " + parallelism);
            }
            if (gpus < 0 || backoffLimitPerIndex < 0) {
                throw new UsageException("--gpus and --backoff-limit-per-index must be >= 0");
            }
        }
    }

    private Kubernetes() { }

    /**
     * Writes the manifest into the sweep's folder; returns its path. Every index is in the Job:
     * pods of runs that are done already find them cached and end at once.
     */
    public static Path write(SweepPlan plan, Options o) throws IOException {
        if (plan.fit() != null) {
            throw new UsageException("a fanned-out study needs its fit to run after every cell, which one Indexed Job cannot "
                    + "express: use --launcher slurm or local for it");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        String name = "dlx-sweep-" + plan.id();
        Path manifest = plan.folder().resolve(MANIFEST);
        Files.createDirectories(plan.folder());
        try (Writer w = Files.newBufferedWriter(manifest);
             SequenceWriter docs = yaml.writer().writeValues(w)) {
            w.write("# dlx sweep " + plan.id() + ": " + plan.size() + " runs as one Indexed Job. Apply with\n"
                    + "#   kubectl apply -f " + manifest + "\n");
            docs.write(configMap(yaml, name, plan, o));
            if (o.claimSize() != null) {
                docs.write(claim(yaml, o));
            }
            docs.write(job(yaml, name, plan, o));
        }
        return manifest;
    }

    private static ObjectNode meta(ObjectNode parent, String name, SweepPlan plan, Options o) {
        ObjectNode meta = parent.putObject("metadata");
        meta.put("name", name);
        if (o.namespace() != null) {
            meta.put("namespace", o.namespace());
        }
        meta.putObject("labels").put("app.kubernetes.io/name", "dlx").put("dlx.dev/sweep", plan.id());
        return meta;
    }

    private static ObjectNode configMap(ObjectMapper m, String name, SweepPlan plan, Options o) throws IOException {
        ObjectNode cm = m.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        meta(cm, name, plan, o);
        cm.putObject("data").put(SweepPlan.FILE, Files.readString(plan.planFile()));
        return cm;
    }

    private static ObjectNode claim(ObjectMapper m, Options o) {
        ObjectNode pvc = m.createObjectNode().put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        ObjectNode meta = pvc.putObject("metadata").put("name", o.claim());
        if (o.namespace() != null) {
            meta.put("namespace", o.namespace());
        }
        ObjectNode spec = pvc.putObject("spec");
        // many pods on many nodes write one results folder
        spec.putArray("accessModes").add("ReadWriteMany");
        if (o.storageClass() != null) {
            spec.put("storageClassName", o.storageClass());
        }
        spec.putObject("resources").putObject("requests").put("storage", o.claimSize());
        return pvc;
    }

    private static ObjectNode job(ObjectMapper m, String name, SweepPlan plan, Options o) {
        ObjectNode job = m.createObjectNode().put("apiVersion", "batch/v1").put("kind", "Job");
        meta(job, name, plan, o);
        ObjectNode spec = job.putObject("spec");
        spec.put("completionMode", "Indexed");
        spec.put("completions", plan.size());
        spec.put("parallelism", Math.min(o.parallelism(), plan.size()));
        spec.put("backoffLimitPerIndex", o.backoffLimitPerIndex());
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", "dlx").put("dlx.dev/sweep", plan.id());
        ObjectNode pod = template.putObject("spec");
        pod.put("restartPolicy", "Never"); // required by backoffLimitPerIndex; a retry is a new pod
        ObjectNode c = pod.putArray("containers").addObject();
        c.put("name", "dlx");
        c.put("image", o.image());
        c.putArray("command").add("/bin/sh").add("-c");
        c.putArray("args").add("exec dlx run --sweep " + SWEEP + "/" + SweepPlan.FILE + " --index \"$JOB_COMPLETION_INDEX\" --out "
                + RESULTS);
        ArrayNode env = c.putArray("env");
        // bin/dlx's default heap (8 GiB) would not fit a smaller memory limit
        env.addObject().put("name", "DLX_JAVA_OPTS").put("value", o.javaOpts());
        ObjectNode resources = c.putObject("resources");
        ObjectNode requests = resources.putObject("requests");
        ObjectNode limits = resources.putObject("limits");
        if (o.cpu() != null) {
            requests.put("cpu", o.cpu());
        }
        if (o.memory() != null) {
            requests.put("memory", o.memory());
            limits.put("memory", o.memory());
        }
        if (o.gpus() > 0) {
            limits.put("nvidia.com/gpu", o.gpus());
        }
        ArrayNode mounts = c.putArray("volumeMounts");
        mounts.addObject().put("name", "results").put("mountPath", RESULTS);
        mounts.addObject().put("name", "plan").put("mountPath", SWEEP).put("readOnly", true);
        ArrayNode volumes = pod.putArray("volumes");
        volumes.addObject().put("name", "results").putObject("persistentVolumeClaim").put("claimName", o.claim());
        volumes.addObject().put("name", "plan").putObject("configMap").put("name", name);
        return job;
    }
}
