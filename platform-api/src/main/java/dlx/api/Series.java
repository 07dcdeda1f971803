package dlx.api;

import java.util.List;

/** A curve of [x, y] points, filled while the run goes; its latest y is published as a meter. */
public interface Series {

    String name();

    Labels labels();

    Series add(double x, double y);

    /** A snapshot of the points so far. */
    List<double[]> points();
}
