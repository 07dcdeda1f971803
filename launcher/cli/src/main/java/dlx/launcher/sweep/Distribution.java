package dlx.launcher.sweep;

import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.launcher.UsageException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A random-search distribution of one parameter, as written in a sweep file:
 * {@code uniform(lo,hi)}, {@code loguniform(lo,hi)} (uniform in log space, lo &gt; 0),
 * {@code randint(lo,hi)} (integers, both ends included) or {@code choice(a,b,c)} (one of the
 * values, equally likely; quoted as on the command line). For an integer parameter, uniform and
 * loguniform draws are rounded to the nearest integer. Numbers are kept to 6 significant digits,
 * so the plan reads well and every draw is exactly what the run receives.
 */
public sealed interface Distribution {
    Pattern FORM = Pattern.compile("\\s*(uniform|loguniform|randint|choice)\\s*\\((.*)\\)\\s*");

    /** One draw as the text the parameter receives. */
    String draw(Random random);

    record Uniform(double lo, double hi, boolean log, boolean integer) implements Distribution {
        public String draw(Random random) {
            double u = random.nextDouble();
            double v = log ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
            return integer ? Long.toString(Math.round(v)) : new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }
    }

    record RandInt(long lo, long hi) implements Distribution {
        public String draw(Random random) {
            return Long.toString(lo + (long) Math.floor(random.nextDouble() * (hi - lo + 1)));
        }
    }

    record Choice(List<String> values) implements Distribution {
        public String draw(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    /**
     * Parses {@code text} for parameter {@code spec} of {@code experiment}; both ends of a range
     * and every choice are validated against the spec.
     * @throws UsageException naming the parameter and what is wrong
     */
    static Distribution parse(String experiment, ParamSpec spec, String text) {
        String where = "random." + spec.name() + " '" + text + "'";
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new UsageException(where + ": expected uniform(lo,hi), loguniform(lo,hi), randint(lo,hi) or choice(a,b,...)");
        }
        String kind = m.group(1);
        List<String> args = Grid.split(m.group(2), ',').stream().map(String::trim).toList();
        try {
            for (String a : args) {
                spec.parse(experiment, a);
            }
        } catch (ParamException e) {
            throw new UsageException(where + ": " + e.getMessage());
        }
        if (kind.equals("choice")) {
            if (args.stream().anyMatch(String::isEmpty)) {
                throw new UsageException(where + ": a choice needs at least one value and no empty ones");
            }
            return new Choice(args);
        }
        if (args.size() != 2) {
            throw new UsageException(where + ": " + kind + " takes two numbers, lo and hi");
        }
        boolean integer = spec.type() == ParamType.INT;
        if (!integer && spec.type() != ParamType.DOUBLE) {
            throw new UsageException(where + ": parameter '" + spec.name() + "' is " + spec.allowed()
                    + "; only numbers can be drawn from a range (use choice(...))");
        }
        double lo;
        double hi;
        try {
            lo = Double.parseDouble(args.get(0));
            hi = Double.parseDouble(args.get(1));
        } catch (NumberFormatException e) {
            throw new UsageException(where + ": lo and hi must be numbers");
        }
        if (!(lo < hi)) {
            throw new UsageException(where + ": lo must be smaller than hi");
        }
        return switch (kind) {
            case "uniform" -> new Uniform(lo, hi, false, integer);
            case "loguniform" -> {
                if (lo <= 0) {
                    throw new UsageException(where + ": loguniform needs lo > 0");
                }
                yield new Uniform(lo, hi, true, integer);
            }
            default -> {
                if (!integer || lo != Math.rint(lo) || hi != Math.rint(hi)) {
                    throw new UsageException(where + ": randint draws integers for an integer parameter");
                }
                yield new RandInt((long) lo, (long) hi);
            }
        };
    }
}
