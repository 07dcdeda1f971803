package dlx.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * One run's folder, {@code <results>/<experiment>/<run id>/}: its result, its lock, its earlier
 * attempts ({@code attempts/<UTC time>/}) and the experiment's {@code latest} pointer.
 */
public final class RunFolder {
    public static final String RESULT = "result.json";
    public static final String LOCK = ".lock";
    public static final String ATTEMPTS = "attempts";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    private static final DateTimeFormatter ATTEMPT_NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String runId;

    public RunFolder(Path resultsRoot, String experimentId, String runId) {
        this.dir = resultsRoot.resolve(experimentId).resolve(runId);
        this.runId = runId;
    }

    public Path dir() {
        return dir;
    }

    public String runId() {
        return runId;
    }

    public Path resultFile() {
        return dir.resolve(RESULT);
    }

    /** The result an earlier attempt left, if it reads as JSON. */
    public Optional<JsonNode> previousResult() {
        try {
            return Optional.of(ResultStore.json().readTree(resultFile().toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when an earlier attempt finished {@code ok}: the run need not go again. */
    public boolean finishedOk() {
        return previousResult().map(r -> "ok".equals(r.path("status").asText())).orElse(false);
    }

    /** Who holds a run: host, pid and since when. */
    public record Holder(String host, long pid, String since) {
        @Override
        public String toString() {
            return "host " + host + ", pid " + pid + ", since " + since;
        }
    }

    /** The run is being run by another live process. */
    public static final class LockedException extends Exception {
        private final transient Holder holder;

        LockedException(Holder holder) {
            super("running elsewhere (" + holder + ")");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    /** The lock of a run, released on close. */
    public final class Lock implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(dir.resolve(LOCK));
            } catch (IOException ignored) {
                // a stale lock is detected by the next process
            }
        }
    }

    /**
     * Takes the run's lock file (created atomically). A lock left by a dead process of this host
     * is stale and taken over; a live holder (or one on another host) means the run goes on elsewhere.
     */
    public Lock lock() throws LockedException {
        Path lock = dir.resolve(LOCK);
        try {
            Files.createDirectories(dir);
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    ObjectNode me = ResultStore.json().createObjectNode();
                    me.put("host", hostName());
                    me.put("pid", ProcessHandle.current().pid());
                    me.put("since", Instant.now().toString());
                    Files.writeString(lock, me.toString(), java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                    return new Lock();
                } catch (FileAlreadyExistsException e) {
                    Holder holder = holder(lock);
                    if (holder == null && recentlyWritten(lock)) {
                        // another process is writing its lock right now
                        throw new LockedException(new Holder("?", -1, Files.getLastModifiedTime(lock).toString()));
                    }
                    if (holder != null && !(holder.host().equals(hostName()) && ProcessHandle.of(holder.pid()).isEmpty())) {
                        throw new LockedException(holder);
                    }
                    Files.deleteIfExists(lock); // stale: its process is gone (or the file is unreadable)
                }
            }
            throw new IOException("cannot take the lock " + lock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean recentlyWritten(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() > System.currentTimeMillis() - 5_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static Holder holder(Path lock) {
        try {
            JsonNode n = ResultStore.json().readTree(Files.readString(lock));
            return new Holder(n.path("host").asText("?"), n.path("pid").asLong(-1), n.path("since").asText("?"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Moves what an earlier attempt left (result, logs, CSVs, plots; its checkpoints too unless
     * {@code keepCheckpoints}) into {@code attempts/<UTC time>/}; returns that folder, or empty
     * when there was nothing to keep.
     */
    public Optional<Path> archivePreviousAttempt(boolean keepCheckpoints) {
        Set<String> stay = keepCheckpoints ? Set.of(ATTEMPTS, LOCK, CHECKPOINTS) : Set.of(ATTEMPTS, LOCK);
        try {
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            Path target = null;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    String name = e.getFileName().toString();
                    if (stay.contains(name) || name.endsWith(".tmp")) {
                        continue;
                    }
                    if (target == null) {
                        target = dir.resolve(ATTEMPTS).resolve(ATTEMPT_NAME.format(Instant.now()));
                        Files.createDirectories(target);
                    }
                    Files.move(e, target.resolve(name));
                }
            }
            return Optional.ofNullable(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the earlier attempt of " + dir, e);
        }
    }

    /** Removes temp files an interrupted write left (e.g. {@code .result-*.json.tmp} after a kill -9). */
    public void cleanLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path e : entries) {
                Files.deleteIfExists(e);
            }
        } catch (IOException ignored) {
            // leftovers are harmless
        }
    }

    /** Points {@code <experiment>/latest} at this run: a relative symlink, or a file holding the id. */
    public void markLatest() {
        Path latest = dir.getParent().resolve(LATEST);
        try {
            Path tmp = dir.getParent().resolve(".latest-" + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createSymbolicLink(tmp, Path.of(runId));
            } catch (UnsupportedOperationException | IOException e) {
                Files.writeString(tmp, runId + "\n");
            }
            Files.move(tmp, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + latest, e);
        }
    }

    /** The run id {@code <experiment folder>/latest} points at. */
    public static Optional<String> latest(Path experimentDir) {
        Path latest = experimentDir.resolve(LATEST);
        try {
            if (Files.isSymbolicLink(latest)) {
                return Optional.of(Files.readSymbolicLink(latest).getFileName().toString());
            }
            if (Files.isRegularFile(latest)) {
                return Optional.of(Files.readString(latest).trim());
            }
        } catch (IOException ignored) {
            // no latest
        }
        return Optional.empty();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
