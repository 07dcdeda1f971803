package dlx.nmt;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.List;

/** The sequence-model experiments of the NMT course, trained in DJL. */
public final class NmtPlugin implements Plugin {
    @Override
    public String name() {
        return "nmt";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        return List.of(AttentionExperiment.class, DecoderOnlyExperiment.class, IsoFlopExperiment.class,
                PositionalEncodingExperiment.class, CompareArchitecturesExperiment.class, BenchPigLatinExperiment.class,
                CharLmExperiment.class,
                SelectByContentExperiment.class, SelectByPositionExperiment.class);
    }
}
