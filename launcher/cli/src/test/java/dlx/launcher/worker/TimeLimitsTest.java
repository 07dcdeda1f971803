package dlx.launcher.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.api.ExperimentSpec;
import dlx.api.Profile;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeLimitsTest {
    private static final ExperimentSpec PLAIN = ExperimentSpec.builder("demo.plain").build();
    private static final ExperimentSpec DECLARED = ExperimentSpec.builder("demo.declared").timeout(Duration.ofHours(3)).build();

    @Test
    void theOptionIsNullWhenNotGivenAndABadValueIsAUsageError() {
        assertThat(TimeLimits.option(null)).isNull();
        assertThat(TimeLimits.option("none")).isEmpty();
        assertThat(TimeLimits.option("90s")).contains(Duration.ofSeconds(90));
        assertThatThrownBy(() -> TimeLimits.option("soon")).isInstanceOf(dlx.launcher.UsageException.class)
                .hasMessageContaining("--timeout 'soon' is not a duration");
    }

    @Test
    void parsesUnitsIsoAndNone() {
        assertThat(TimeLimits.parse("5s")).contains(Duration.ofSeconds(5));
        assertThat(TimeLimits.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(TimeLimits.parse("1.5m")).contains(Duration.ofSeconds(90));
        assertThat(TimeLimits.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(TimeLimits.parse("2d")).contains(Duration.ofDays(2));
        assertThat(TimeLimits.parse("PT5S")).contains(Duration.ofSeconds(5));
        assertThat(TimeLimits.parse("none")).isEmpty();
        assertThat(TimeLimits.parse("0")).isEmpty();
        for (String bad : new String[] {"", "5", "soon", "5x", "-5s", "s5", "PT-5S", "5s 3m"}) {
            assertThatThrownBy(() -> TimeLimits.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("90s");
        }
    }

    @Test
    void theOptionBeatsTheSpecWhichBeatsTheProfile() {
        assertThat(TimeLimits.of(Optional.of(Duration.ofSeconds(5)), DECLARED, Profile.QUICK)).contains(Duration.ofSeconds(5));
        assertThat(TimeLimits.of(Optional.empty(), DECLARED, Profile.QUICK)).as("--timeout none").isEmpty();
        assertThat(TimeLimits.of(null, DECLARED, Profile.FULL)).contains(Duration.ofHours(3));
        assertThat(TimeLimits.of(null, PLAIN, Profile.QUICK)).contains(TimeLimits.QUICK_DEFAULT);
        assertThat(TimeLimits.of(null, PLAIN, Profile.FULL)).isEmpty();
    }

    @Test
    void formatsAsTyped() {
        assertThat(TimeLimits.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(TimeLimits.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(TimeLimits.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void aSpecRefusesANonPositiveLimit() {
        assertThatThrownBy(() -> ExperimentSpec.builder("demo.zero").timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("demo.zero");
    }
}
