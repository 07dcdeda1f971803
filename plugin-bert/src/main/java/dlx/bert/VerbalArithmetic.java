package dlx.bert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The verbal-arithmetic task: "{@code <a> plus|minus <b>}" with number words zero..twenty, labelled
 * by the sign of the result (0 negative, 1 zero, 2 positive). All 21 x 2 x 21 = 882 distinct
 * expressions are shuffled with the seed and split into disjoint train and test sets, so no test
 * expression is seen in training.
 */
public final class VerbalArithmetic {
    public static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty");
    public static final List<String> LABELS = List.of("negative", "zero", "positive");
    public static final int TRAIN_SIZE = 640;
    public static final int TEST_SIZE = 160;

    /** One expression with its label. */
    public record Example(String text, int a, String op, int b, int label) {
        public int value() {
            return op.equals("plus") ? a + b : a - b;
        }
    }

    /** A train/test split. */
    public record Split(List<Example> train, List<Example> test) {
        public double majorityBaseline() {
            int[] counts = labelCounts(train);
            int best = 0;
            for (int c = 1; c < counts.length; c++) {
                if (counts[c] > counts[best]) {
                    best = c;
                }
            }
            int hits = 0;
            for (Example e : test) {
                hits += e.label() == best ? 1 : 0;
            }
            return hits / (double) test.size();
        }
    }

    private VerbalArithmetic() { }

    public static int label(int value) {
        return value < 0 ? 0 : value == 0 ? 1 : 2;
    }

    /** Parses "a plus|minus b" written with the number words; null when the text is not of that form. */
    public static Example parse(String text) {
        String[] w = text.trim().toLowerCase(java.util.Locale.ROOT).split("\\s+");
        if (w.length != 3 || !(w[1].equals("plus") || w[1].equals("minus"))) {
            return null;
        }
        int a = NUMBERS.indexOf(w[0]);
        int b = NUMBERS.indexOf(w[2]);
        if (a < 0 || b < 0) {
            return null;
        }
        int v = w[1].equals("plus") ? a + b : a - b;
        return new Example(w[0] + " " + w[1] + " " + w[2], a, w[1], b, label(v));
    }

    public static List<Example> all() {
        List<Example> all = new ArrayList<>();
        for (int a = 0; a < NUMBERS.size(); a++) {
            for (String op : List.of("plus", "minus")) {
                for (int b = 0; b < NUMBERS.size(); b++) {
                    int v = op.equals("plus") ? a + b : a - b;
                    all.add(new Example(NUMBERS.get(a) + " " + op + " " + NUMBERS.get(b), a, op, b, label(v)));
                }
            }
        }
        return all;
    }

    /** The data set as the run's data source: generated, shuffled with {@code seed}. */
    public static dlx.api.DataSource source(long seed) {
        return dlx.api.DataSource.generated("verbal-arithmetic", all().size() + " sums and differences of the numbers "
                + NUMBERS.get(0) + ".." + NUMBERS.get(NUMBERS.size() - 1) + ", shuffled; " + TRAIN_SIZE + " train, " + TEST_SIZE
                + " test", seed);
    }

    public static Split split(long seed) {
        List<Example> all = all();
        Collections.shuffle(all, new Random(seed));
        return new Split(List.copyOf(all.subList(0, TRAIN_SIZE)),
                List.copyOf(all.subList(TRAIN_SIZE, TRAIN_SIZE + TEST_SIZE)));
    }

    public static int[] labelCounts(List<Example> examples) {
        int[] counts = new int[LABELS.size()];
        for (Example e : examples) {
            counts[e.label()]++;
        }
        return counts;
    }

    public static List<String> texts(List<Example> examples) {
        return examples.stream().map(Example::text).toList();
    }

    public static int[] labels(List<Example> examples) {
        return examples.stream().mapToInt(Example::label).toArray();
    }
}
