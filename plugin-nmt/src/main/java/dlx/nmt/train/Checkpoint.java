package dlx.nmt.train;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import dlx.api.ParamSpec;
import dlx.api.RunContext;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run keeps its end-of-epoch checkpoint and whether it continues from it.
 * The file {@code dir/checkpoint.bin} holds the loop state (completed epochs, steps, best and
 * initial validation loss, early-stopping counter, skipped steps, the loss curves so far) followed
 * by the block's parameters ({@link Block#saveParameters}). It is written to a temporary file and
 * moved into place, so an interrupted write leaves the previous checkpoint intact. The AdamW
 * moments are not saved (DJL's {@code Adam} keeps them in private fields): a resumed run restarts
 * them at zero, while the learning-rate schedule continues from the saved step.
 */
public record Checkpoint(Path dir, boolean resume) {
    private static final int MAGIC = 0x444c5843;
    private static final int VERSION = 1;
    static final String FILE = "checkpoint.bin";

    /** The saved loop state after {@code epoch} completed epochs. */
    public record State(int epoch, int steps, double initialVal, double best, int bestEpoch, int sinceBest,
                        double lastVal, int skipped, List<double[]> trainCurve, List<double[]> valCurve) { }

    /** The {@code resume} parameter of every experiment that trains through {@link #of}. */
    public static ParamSpec.Builder resumeParam() {
        return ParamSpec.bool("resume", false).help("continue an interrupted run from the checkpoint of its last "
                + "completed epoch in checkpoints/<run> of the output folder (false: start over, overwrite it)");
    }

    /** The checkpoint of run {@code name}: {@code checkpoints/<name>} in the run's output folder. */
    public static Checkpoint of(RunContext ctx, String name) {
        return new Checkpoint(ctx.outputDir().resolve("checkpoints").resolve(name), ctx.params().bool("resume"));
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** True when a checkpoint file exists. */
    public boolean exists() {
        return Files.isRegularFile(file());
    }

    /** Writes state and parameters atomically (temporary file, then move). */
    public void save(State s, Block block) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                    out.writeInt(MAGIC);
                    out.writeInt(VERSION);
                    out.writeInt(s.epoch());
                    out.writeInt(s.steps());
                    out.writeDouble(s.initialVal());
                    out.writeDouble(s.best());
                    out.writeInt(s.bestEpoch());
                    out.writeInt(s.sinceBest());
                    out.writeDouble(s.lastVal());
                    out.writeInt(s.skipped());
                    writeCurve(out, s.trainCurve());
                    writeCurve(out, s.valCurve());
                    block.saveParameters(out);
                }
                try {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file(), e);
        }
    }

    /**
     * Reads the state and loads the parameters into {@code block} (which must have the same
     * structure, initialised); parameters that need gradients get them attached again.
     */
    public State load(Block block, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file())))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a dlx nmt checkpoint (version " + VERSION + ")");
            }
            int epoch = in.readInt();
            int steps = in.readInt();
            double initial = in.readDouble();
            double best = in.readDouble();
            int bestEpoch = in.readInt();
            int sinceBest = in.readInt();
            double last = in.readDouble();
            int skipped = in.readInt();
            List<double[]> train = readCurve(in);
            List<double[]> val = readCurve(in);
            block.loadParameters(manager, in);
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient() && !p.getArray().hasGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            return new State(epoch, steps, initial, best, bestEpoch, sinceBest, last, skipped, train, val);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("cannot read checkpoint " + file() + ": " + e.getMessage(), e);
        }
    }

    private static void writeCurve(DataOutputStream out, List<double[]> curve) throws IOException {
        out.writeInt(curve.size());
        for (double[] point : curve) {
            out.writeDouble(point[0]);
            out.writeDouble(point[1]);
        }
    }

    private static List<double[]> readCurve(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<double[]> curve = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            curve.add(new double[] {in.readDouble(), in.readDouble()});
        }
        return curve;
    }
}
