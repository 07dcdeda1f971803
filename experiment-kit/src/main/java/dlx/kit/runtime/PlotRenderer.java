package dlx.kit.runtime;

import dlx.api.PlotSpec;
import dlx.kit.plot.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a declared {@link PlotSpec} from the recorded series. */
final class PlotRenderer {
    private PlotRenderer() { }

    /** Returns false when none of the plot's series has points (nothing to draw). */
    static boolean render(PlotSpec spec, Map<String, List<double[]>> recorded, Path file) throws IOException {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (String name : spec.series()) {
            List<double[]> pts = recorded.get(name);
            if (pts != null && !pts.isEmpty()) {
                lines.put(name, pts);
            }
        }
        if (lines.isEmpty()) {
            return false;
        }
        Charts.lines(spec.title(), spec.xLabel(), spec.yLabel(), lines, spec.logX(), spec.logY(), file);
        return true;
    }
}
