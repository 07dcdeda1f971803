package dlx.kit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    /** A task whose loss after epoch e is scripted; counts the calls it gets. */
    static class ScriptedTask implements TrainingTask {
        final double[] valLoss;
        final List<String> calls = new ArrayList<>();
        int epoch;

        ScriptedTask(double... valLoss) {
            this.valLoss = valLoss;
        }

        @Override
        public void beginEpoch(int e) {
            epoch = e;
            calls.add("begin " + e);
        }

        @Override
        public Step step(TrainingState state) {
            return Step.of(10.0 / epoch + state.steps() % 2, 4);
        }

        @Override
        public Map<String, Double> evaluate() {
            return Map.of("valLoss", valLoss[Math.min(epoch, valLoss.length - 1)]);
        }
    }

    @Test
    void epochsOfStepsWithEvaluationAndTheMeanTrainLoss() throws Exception {
        ScriptedTask task = new ScriptedTask(9, 5, 4, 3);
        TrainingSummary s = TrainingLoop.builder("t").epochs(3).stepsPerEpoch(4).evaluateFirst().warmupSteps(0).build().run(task);
        assertThat(s.completed()).isTrue();
        assertThat(s.history()).extracting(EpochResult::epoch).containsExactly(0, 1, 2, 3);
        assertThat(s.history().get(0).get("valLoss")).isEqualTo(9);
        assertThat(s.history().get(0).trainLoss()).isNaN();
        // steps 0..3 in epoch 1 give 10 + (0,1,0,1) -> mean 10.5; epoch 2: 5 + ... -> 5.5
        assertThat(s.history().get(1).trainLoss()).isEqualTo(10.5);
        assertThat(s.history().get(2).trainLoss()).isEqualTo(5.5);
        assertThat(s.history().get(3).steps()).isEqualTo(12);
        assertThat(s.steps()).isEqualTo(12);
        assertThat(s.itemsPerSecond()).isPositive();
        assertThat(task.calls).containsExactly("begin 1", "begin 2", "begin 3");
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBest() throws Exception {
        EarlyStopping stop = EarlyStopping.minimising("valLoss", 2);
        TrainingSummary s = TrainingLoop.builder("t").epochs(10).stepsPerEpoch(1).evaluateFirst().listener(stop).build()
                .run(new ScriptedTask(9, 5, 4, 4.5, 4.2, 1));
        assertThat(s.history()).extracting(EpochResult::epoch).containsExactly(0, 1, 2, 3, 4);
        assertThat(s.stoppedEarly()).isTrue();
        assertThat(stop.bestEpoch()).isEqualTo(2);
        assertThat(stop.best()).isEqualTo(4);
    }

    @Test
    void nonFiniteStepsAreSkippedAndTooManyFailTheRunWithAdvice() {
        TrainingTask diverging = new ScriptedTask(1) {
            @Override
            public Step step(TrainingState state) {
                return state.steps() < 3 ? Step.of(1, 1) : Step.skipped(1);
            }
        };
        assertThatThrownBy(() -> TrainingLoop.builder("t").epochs(5).stepsPerEpoch(10).divergenceAdvice("try a lower learningRate")
                .build().run(diverging))
                .hasMessageContaining("diverged in epoch 2").hasMessageContaining("try a lower learningRate");
    }

    @Test
    void cancellationStopsBetweenStepsAndListenersStillSeeTheEnd() {
        List<TrainingSummary> ended = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onTrainingEnd(TrainingState state, TrainingSummary summary) {
                ended.add(summary);
            }
        };
        int[] n = {0};
        assertThatThrownBy(() -> TrainingLoop.builder("t").epochs(3).stepsPerEpoch(5).cancellation(() -> ++n[0] > 7)
                .listener(l).build().run(new ScriptedTask(1)))
                .isInstanceOf(CancellationException.class);
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).completed()).isFalse();
        assertThat(ended.get(0).steps()).isEqualTo(7);
    }

    @Test
    void aResumableListenerPutsTheLoopBackAfterItsLastEpoch() throws Exception {
        Resumable restore = state -> {
            state.restore(8, 0, List.of(new EpochResult(1, 4, 10, Map.of("valLoss", 5.0), 1),
                    new EpochResult(2, 8, 5, Map.of("valLoss", 4.0), 1)), null);
            return true;
        };
        TrainingListener asListener = new Restoring(restore);
        ScriptedTask task = new ScriptedTask(9, 5, 4, 3);
        TrainingSummary s = TrainingLoop.builder("t").epochs(3).stepsPerEpoch(4).evaluateFirst().listener(asListener).build().run(task);
        assertThat(task.calls).containsExactly("begin 3");
        assertThat(s.resumedFromEpoch()).isEqualTo(3);
        assertThat(s.history()).extracting(EpochResult::epoch).containsExactly(1, 2, 3);
        assertThat(s.steps()).isEqualTo(12);
    }

    @Test
    void aResumedAttemptTimesItsOwnStepsEvenWhenFewerThanTheWarmUp() throws Exception {
        List<EpochResult> five = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            five.add(new EpochResult(e, 5L * e, 1, Map.of("valLoss", 1.0 / e), 1));
        }
        TrainingListener restore = new Restoring(state -> {
            state.restore(25, 0, five, null);
            return true;
        });
        TrainingSummary s = TrainingLoop.builder("t").epochs(6).stepsPerEpoch(5).listener(restore).build()
                .run(new ScriptedTask(1));
        assertThat(s.steps()).isEqualTo(30);
        assertThat(s.msPerStep()).isPositive();
        assertThat(s.itemsPerSecond()).isPositive();
    }

    @Test
    void aResumedRunThatHadRunOutOfPatienceStaysStopped() throws Exception {
        TrainingListener restore = new Restoring(state -> {
            state.restore(3, 0, List.of(new EpochResult(1, 1, 1, Map.of("valLoss", 2.0), 1),
                    new EpochResult(2, 2, 1, Map.of("valLoss", 3.0), 1), new EpochResult(3, 3, 1, Map.of("valLoss", 3.0), 1)), null);
            return true;
        });
        ScriptedTask task = new ScriptedTask(1);
        TrainingSummary s = TrainingLoop.builder("t").epochs(6).stepsPerEpoch(1).listener(restore)
                .listener(EarlyStopping.minimising("valLoss", 2)).build().run(task);
        assertThat(task.calls).isEmpty();
        assertThat(s.stoppedEarly()).isTrue();
        assertThat(s.steps()).isEqualTo(3);
    }

    private record Restoring(Resumable r) implements TrainingListener, Resumable {
        @Override
        public boolean restore(TrainingState state) throws Exception {
            return r.restore(state);
        }
    }
}
