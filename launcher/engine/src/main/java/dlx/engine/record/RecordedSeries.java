package dlx.engine.record;

import dlx.api.Labels;
import dlx.api.Series;
import dlx.engine.meters.RunMeters;
import java.util.ArrayList;
import java.util.List;

/** A series being recorded; each point also updates its gauge. */
final class RecordedSeries implements Series {
    private final String name;
    private final Labels labels;
    private final RunMeters meters;
    private final List<double[]> points = new ArrayList<>();

    RecordedSeries(String name, Labels labels, RunMeters meters) {
        this.name = name;
        this.labels = labels;
        this.meters = meters;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public synchronized Series add(double x, double y) {
        points.add(new double[] {x, y});
        meters.publish(name, labels, y);
        return this;
    }

    @Override
    public synchronized List<double[]> points() {
        List<double[]> copy = new ArrayList<>(points.size());
        for (double[] p : points) {
            copy.add(p.clone());
        }
        return copy;
    }
}
