package dlx.nmt.train;

import ai.djl.Model;
import dlx.api.CancellationToken;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.kit.train.Checkpoints;
import dlx.kit.train.EarlyStopping;
import dlx.kit.train.EpochResult;
import dlx.kit.train.TrainingListener;
import dlx.kit.train.TrainingLoop;
import dlx.kit.train.TrainingReport;
import dlx.kit.train.TrainingSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * How the plugin trains a model: a {@link SequenceTask} in the kit's {@link TrainingLoop}, the
 * untrained model evaluated first, early stopping on {@code valLoss}, and on request a report to
 * the run (series {@code trainLoss} and {@code valLoss} by step, {@code msPerStep},
 * {@code tokensPerSecond}, with the run's labels) and checkpoints with the optimiser's state.
 *
 * <pre>{@code
 * TrainResult r = Training.of(model, data, cfg).report(reporter, Labels.of("run", "h32-small"))
 *         .checkpoints(Checkpoints.of(request, "h32-small").fingerprint(...)).cancellation(request.cancellation()).run();
 * }</pre>
 */
public final class Training {
    private final Model model;
    private final BatchSource data;
    private final TrainConfig cfg;
    private RunReporter reporter;
    private Labels labels = Labels.NONE;
    private Checkpoints.Builder checkpoints;
    private CancellationToken cancellation = CancellationToken.none();
    private boolean validate = true;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Training(Model model, BatchSource data, TrainConfig cfg) {
        this.model = model;
        this.data = data;
        this.cfg = cfg;
    }

    /** Trains {@code model}'s block (initialised) on {@code data}. */
    public static Training of(Model model, BatchSource data, TrainConfig cfg) {
        return new Training(model, data, cfg);
    }

    /** Reports series, speed and a progress bar to the run, under these labels. */
    public Training report(RunReporter r, Labels l) {
        this.reporter = r;
        this.labels = l;
        return this;
    }

    /** Saves a checkpoint after every epoch (and resumes when it says so); model and optimiser are added here. */
    public Training checkpoints(Checkpoints.Builder c) {
        this.checkpoints = c;
        return this;
    }

    public Training cancellation(CancellationToken token) {
        this.cancellation = token;
        return this;
    }

    /** No validation pass (the evaluation is empty): the benchmark only times steps. */
    public Training withoutValidation() {
        this.validate = false;
        return this;
    }

    public Training listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    public TrainResult run() throws Exception {
        try (SequenceTask task = new SequenceTask(model, data, cfg, validate)) {
            EarlyStopping stopping = EarlyStopping.minimising("valLoss", cfg.patience());
            TrainingLoop.Builder loop = TrainingLoop.builder(cfg.name()).epochs(cfg.epochs())
                    .stepsPerEpoch(cfg.stepsPerEpoch()).cancellation(cancellation)
                    .divergenceAdvice("try a lower learningRate (now " + cfg.learningRate() + ")");
            if (validate) {
                loop.evaluateFirst();
            }
            if (reporter != null) {
                loop.listener(TrainingReport.to(reporter).labels(labels).axis(TrainingReport.Axis.STEP)
                        .throughput("tokensPerSecond").build());
            }
            loop.listener(stopping);
            listeners.forEach(loop::listener);
            if (checkpoints != null) {
                // Last, so that the checkpoint holds the early-stopping decision of its epoch.
                loop.listener(checkpoints.model(model.getBlock(), model.getNDManager()).optimizer(task.optimizer()).build());
            }
            TrainingSummary s = loop.build().run(task);
            EpochResult first = s.history().isEmpty() ? null : s.history().get(0);
            return new TrainResult(s, first == null ? Double.NaN : first.get("valLoss"), stopping.best(),
                    stopping.bestEpoch(), s.last() == null ? Double.NaN : s.last().get("valLoss"));
        }
    }

    /** The loss curves of an unlabelled run: train and validation cross-entropy by step. */
    public static LinePlot lossPlot(String file, String title) {
        return PlotSpec.lines(file, title, "step", "cross-entropy (nats)", "trainLoss", "valLoss");
    }
}
