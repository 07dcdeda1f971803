package dlx.kit.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dlx.api.ExperimentSpec;
import dlx.api.Params;
import dlx.api.RunRequest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checkpoint and resume of a {@link TrainingLoop}. After every epoch it writes
 * {@code <dir>/checkpoint.bin}: the configuration fingerprint the run belongs to (its resolved
 * parameters), the loop state (steps, skipped steps, finished epochs with their evaluations, a stop
 * request), the block's parameters ({@link Block#saveParameters}) and, with {@link AdamW}, the
 * optimiser's moments and update counts. The file is written beside and moved into place, so an
 * interrupted write leaves the previous checkpoint intact.
 *
 * <p>With {@code resume} and an existing file, the loop continues after the saved epoch; a
 * checkpoint of other parameters is refused, naming each difference. Restoring replaces the
 * block's parameter arrays, so it must happen before anything has run the block through a
 * {@code Trainer} (the loop restores before its first evaluation; do not call
 * {@code Trainer.initialize}, initialise the block itself). Without {@code resume} an existing
 * checkpoint is overwritten by the first one this run writes.
 *
 * <p>Within the platform a run's folder belongs to one configuration (its run id), so
 * {@link #of(RunRequest, String)} always resumes: a run that was interrupted continues from its
 * last checkpoint when the same command runs again.
 */
public final class Checkpoints implements TrainingListener, Resumable {
    public static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x444c5843;
    private static final int VERSION = 2;

    private final Path dir;
    private final boolean resume;
    private final Map<String, String> fingerprint;
    private final Block block;
    private final NDManager manager;
    private final AdamW optimizer;

    private Checkpoints(Builder b) {
        this.dir = b.dir;
        this.resume = b.resume;
        this.fingerprint = Collections.unmodifiableMap(new LinkedHashMap<>(b.fingerprint));
        this.block = Objects.requireNonNull(b.block, "the block whose parameters are saved (Builder.model)");
        this.manager = b.manager;
        this.optimizer = b.optimizer;
    }

    /** Checkpoints in {@code dir}. */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /**
     * The checkpoints of training {@code run} of a request: {@code checkpoints/<run>} in its run
     * folder, resuming from them when they exist.
     */
    public static Builder of(RunRequest request, String run) {
        return in(request.outputDir().resolve("checkpoints").resolve(run)).resume(true);
    }

    /**
     * The resolved parameters as text, in declaration order, less {@code profile} and the
     * {@code ignored} ones (those a resumed run may change, e.g. {@code epochs} to train on
     * longer, or what is only measured after training).
     */
    public static Map<String, String> fingerprint(Params params, String... ignored) {
        Set<String> skip = new LinkedHashSet<>(Arrays.asList(ignored));
        skip.add(ExperimentSpec.PROFILE);
        Map<String, String> out = new LinkedHashMap<>();
        params.asMap().forEach((k, v) -> {
            if (!skip.contains(k)) {
                out.put(k, v instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(","))
                        : String.valueOf(v));
            }
        });
        return out;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    @Override
    public boolean restore(TrainingState state) {
        if (!resume || !Files.isRegularFile(file())) {
            return false;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file())))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a dlx training checkpoint of version " + VERSION);
            }
            refuseOtherConfiguration(readStrings(in));
            long steps = in.readLong();
            long skipped = in.readLong();
            List<EpochResult> history = readHistory(in);
            String stopReason = in.readBoolean() ? in.readUTF() : null;
            block.loadParameters(manager, in);
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient() && !p.getArray().hasGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            if (in.readBoolean() && optimizer != null) {
                optimizer.load(in, manager, block);
            }
            state.restore(steps, skipped, history, stopReason);
            return true;
        } catch (OtherConfiguration e) {
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("cannot read checkpoint " + file() + ": " + why + "; delete it to start over", e);
        }
    }

    private void refuseOtherConfiguration(Map<String, String> saved) {
        List<String> differences = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(fingerprint.keySet());
        keys.addAll(saved.keySet());
        for (String k : keys) {
            String was = saved.get(k);
            String now = fingerprint.get(k);
            if (!Objects.equals(was, now)) {
                differences.add(k + " " + (was == null ? "(none)" : was) + " -> " + (now == null ? "(none)" : now));
            }
        }
        if (!differences.isEmpty()) {
            throw new OtherConfiguration("checkpoint " + file() + " belongs to another configuration: "
                    + String.join(", ", differences) + "; delete it or use the same parameters");
        }
    }

    /** A checkpoint of other parameters: not a read error, the user's choice to make. */
    private static final class OtherConfiguration extends IllegalStateException {
        OtherConfiguration(String message) {
            super(message);
        }
    }

    @Override
    public void onEpoch(TrainingState state, EpochResult epoch) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try {
                // Temporary files are private (0600); a checkpoint is a result like the others.
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException notPosix) {
                    // e.g. Windows: the folder's defaults apply
                }
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                    write(out, state);
                }
                try {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file() + ": " + e.getMessage(), e);
        }
    }

    private void write(DataOutputStream out, TrainingState state) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        writeStrings(out, fingerprint);
        out.writeLong(state.steps());
        out.writeLong(state.skipped());
        out.writeInt(state.history().size());
        for (EpochResult e : state.history()) {
            out.writeInt(e.epoch());
            out.writeLong(e.steps());
            out.writeDouble(e.trainLoss());
            out.writeDouble(e.seconds());
            out.writeInt(e.evaluation().size());
            for (Map.Entry<String, Double> v : e.evaluation().entrySet()) {
                out.writeUTF(v.getKey());
                out.writeDouble(v.getValue());
            }
        }
        out.writeBoolean(state.stopReason() != null);
        if (state.stopReason() != null) {
            out.writeUTF(state.stopReason());
        }
        block.saveParameters(out);
        out.writeBoolean(optimizer != null);
        if (optimizer != null) {
            optimizer.save(out, block);
        }
    }

    private static List<EpochResult> readHistory(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<EpochResult> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int epoch = in.readInt();
            long steps = in.readLong();
            double trainLoss = in.readDouble();
            double seconds = in.readDouble();
            int m = in.readInt();
            Map<String, Double> evaluation = new LinkedHashMap<>();
            for (int j = 0; j < m; j++) {
                evaluation.put(in.readUTF(), in.readDouble());
            }
            history.add(new EpochResult(epoch, steps, trainLoss, evaluation, seconds));
        }
        return history;
    }

    private static void writeStrings(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    public static final class Builder {
        private final Path dir;
        private boolean resume;
        private Map<String, String> fingerprint = Map.of();
        private Block block;
        private NDManager manager;
        private AdamW optimizer;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Continue from an existing checkpoint (else start over and overwrite it). */
        public Builder resume(boolean r) { this.resume = r; return this; }

        /** The parameters the training depends on, by name (see {@link Checkpoints#fingerprint(Params, String...)}). */
        public Builder fingerprint(Map<String, String> f) { this.fingerprint = new LinkedHashMap<>(f); return this; }

        /** The block whose parameters are saved (initialised), and the manager restored parameters go to. */
        public Builder model(Block b, NDManager m) { this.block = b; this.manager = m; return this; }

        /** The optimiser whose state is saved too. */
        public Builder optimizer(AdamW o) { this.optimizer = o; return this; }

        public Checkpoints build() {
            return new Checkpoints(this);
        }
    }
}
