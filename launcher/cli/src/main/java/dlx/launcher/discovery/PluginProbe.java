package dlx.launcher.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.store.ResultStore;
import dlx.launcher.worker.ProbeMain;
import dlx.launcher.worker.WorkerProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tries plugin jars in a probe JVM before the launcher loads them, so that a plugin whose
 * constructor calls System.exit, halts or crashes ends the probe, not the command: that jar is
 * named and skipped. Verdicts are kept in {@code <cache>/plugin-probes.json} by jar (path, size,
 * time) and launcher version, so only a new or changed jar costs a probe JVM; everyday commands
 * start none. (A hanging constructor is handled in-process already: {@link Bounded}.)
 */
public final class PluginProbe {
    static final String CACHE_FILE = "plugin-probes.json";
    private static final String OK = "ok";
    private final Path cacheDir;
    private final Duration pluginTimeout;

    public PluginProbe(Path cacheDir, Duration pluginTimeout) {
        this.cacheDir = cacheDir;
        this.pluginTimeout = pluginTimeout;
    }

    /** The jars of {@code folder} that must not be loaded in this JVM, by file name, with why. */
    public Map<String, String> unsafe(Path folder) {
        List<Path> jars;
        try {
            jars = PluginDiscovery.jars(folder);
        } catch (IOException e) {
            return Map.of(); // discovery reports the unreadable folder
        }
        ObjectNode cache = readCache();
        List<Path> unknown = jars.stream().filter(j -> !cache.has(key(j))).toList();
        if (!unknown.isEmpty()) {
            probe(folder, unknown).forEach((jar, verdict) -> cache.put(key(jar), verdict));
            writeCache(cache);
        }
        Map<String, String> unsafe = new LinkedHashMap<>();
        for (Path jar : jars) {
            String verdict = cache.path(key(jar)).asText(OK);
            if (!verdict.equals(OK)) {
                unsafe.put(jar.getFileName().toString(), verdict);
            }
        }
        return unsafe;
    }

    /** Verdicts of {@code jars}: "ok", or why the probe JVM ended while it created that jar's plugin. */
    private Map<Path, String> probe(Path folder, List<Path> jars) {
        Map<Path, String> verdicts = new LinkedHashMap<>();
        List<Path> left = new ArrayList<>(jars);
        while (!left.isEmpty()) {
            Map<Path, String> round = probeOnce(folder, left);
            verdicts.putAll(round);
            left.removeAll(round.keySet());
            if (round.isEmpty()) {
                break; // the probe JVM itself cannot start: load them here as before
            }
        }
        return verdicts;
    }

    private Map<Path, String> probeOnce(Path folder, List<Path> jars) {
        Map<Path, String> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> args = new ArrayList<>(List.of(folder.toAbsolutePath().toString()));
        jars.forEach(j -> args.add(j.toAbsolutePath().toString()));
        Process p;
        try {
            p = WorkerProcesses.start(ProbeMain.class, args, false);
        } catch (IOException e) {
            return verdicts;
        }
        Map<String, Path> byName = new LinkedHashMap<>();
        jars.forEach(j -> byName.put(j.getFileName().toString(), j));
        AtomicReference<String> probing = new AtomicReference<>(); // the jar the probe is at, null between jars
        // each plugin has plugin.timeout for its constructor and again for its experiments; plus the JVM's start
        long limit = pluginTimeout.toMillis() * 2 * jars.size() + 60_000;
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> read(p, byName, verdicts, probing));
        String how;
        try {
            reading.get(limit, TimeUnit.MILLISECONDS);
            how = p.waitFor(10, TimeUnit.SECONDS) ? WorkerProcesses.describeExit(p.exitValue()) : "stopped answering";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "was interrupted";
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            how = "did not answer within " + limit / 1000 + " s";
        }
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Path culprit = probing.get() == null ? null : byName.get(probing.get());
        if (culprit != null && !verdicts.containsKey(culprit)) {
            verdicts.put(culprit, "its plugin ended the JVM while being created: the JVM " + how
                    + " (System.exit in a constructor?)");
        }
        return verdicts;
    }

    /** Reads the probe's lines until it ends, recording verdicts and the jar it is at. */
    private static void read(Process p, Map<String, Path> byName, Map<Path, String> verdicts, AtomicReference<String> probing) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith(ProbeMain.MARK)) {
                    continue;
                }
                String[] f = line.substring(ProbeMain.MARK.length()).split("\t", 3);
                if (f[0].equals("probing")) {
                    probing.set(f[1]);
                } else if ((f[0].equals("ok") || f[0].equals("problem")) && byName.containsKey(f[1])) {
                    // a problem is reported again by discovery in this JVM, which can load the jar safely
                    verdicts.put(byName.get(f[1]), OK);
                    probing.set(null);
                }
            }
        } catch (IOException ignored) {
            // the probe ended
        }
    }

    private String key(Path jar) {
        try {
            Path self = dlx.engine.store.CodeDigests.location(PluginProbe.class).orElse(null);
            String launcher = self == null ? "" : Files.size(self) + "@" + Files.getLastModifiedTime(self).toMillis();
            return jar.toAbsolutePath() + "|" + Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis() + "|" + launcher;
        } catch (IOException e) {
            return jar.toAbsolutePath().toString();
        }
    }

    private ObjectNode readCache() {
        try {
            JsonNode n = ResultStore.json().readTree(cacheDir.resolve(CACHE_FILE).toFile());
            return n instanceof ObjectNode o ? o : ResultStore.json().createObjectNode();
        } catch (IOException e) {
            return ResultStore.json().createObjectNode();
        }
    }

    private void writeCache(ObjectNode cache) {
        try {
            ResultStore.writeAtomically(cacheDir.resolve(CACHE_FILE), cache);
        } catch (IOException | RuntimeException ignored) {
            // no cache: the next command probes again
        }
    }
}
