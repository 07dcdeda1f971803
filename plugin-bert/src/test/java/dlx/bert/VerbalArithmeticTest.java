package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerbalArithmeticTest {

    @Test
    void splitHas640And160DisjointExpressionsAndIsDeterministic() {
        VerbalArithmetic.Split s = VerbalArithmetic.split(42);
        assertThat(s.train()).hasSize(640);
        assertThat(s.test()).hasSize(160);
        Set<String> train = new HashSet<>(VerbalArithmetic.texts(s.train()));
        assertThat(train).hasSize(640);
        assertThat(VerbalArithmetic.texts(s.test())).noneMatch(train::contains);
        assertThat(VerbalArithmetic.split(42)).isEqualTo(s);
        assertThat(VerbalArithmetic.split(7).train()).isNotEqualTo(s.train());
    }

    @Test
    void labelsAreTheSignOfTheResult() {
        assertThat(VerbalArithmetic.parse("three minus five").label()).isZero();
        assertThat(VerbalArithmetic.parse("seven minus seven").label()).isEqualTo(1);
        assertThat(VerbalArithmetic.parse("zero plus zero").label()).isEqualTo(1);
        assertThat(VerbalArithmetic.parse("twenty plus one").label()).isEqualTo(2);
        assertThat(VerbalArithmetic.parse("nineteen minus eleven").value()).isEqualTo(8);
        assertThat(VerbalArithmetic.parse("three times five")).isNull();
        for (VerbalArithmetic.Example e : VerbalArithmetic.all()) {
            assertThat(e.text()).matches("[a-z]+ (plus|minus) [a-z]+");
            assertThat(e.label()).isEqualTo(e.value() < 0 ? 0 : e.value() == 0 ? 1 : 2);
        }
        assertThat(VerbalArithmetic.all()).hasSize(21 * 2 * 21);
    }

    @Test
    void everyClassOccursInTrainingAndTheBaselineIsReported() {
        VerbalArithmetic.Split s = VerbalArithmetic.split(42);
        assertThat(java.util.Arrays.stream(VerbalArithmetic.labelCounts(s.train())).min().getAsInt()).isPositive();
        assertThat(s.majorityBaseline()).isBetween(0.5, 0.9);
    }
}
