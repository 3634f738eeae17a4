package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationOptionTest {

    @Test
    void aNumberWithAUnitMeansThatUnit() {
        assertThat(DurationOption.parse("250ms", ChronoUnit.SECONDS)).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationOption.parse("20s", ChronoUnit.MILLIS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(DurationOption.parse("10m", ChronoUnit.SECONDS)).isEqualTo(Duration.ofMinutes(10));
        assertThat(DurationOption.parse("1h", ChronoUnit.SECONDS)).isEqualTo(Duration.ofHours(1));
        assertThat(DurationOption.parse("1.5s", ChronoUnit.SECONDS)).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationOption.parse(" 2 S ", ChronoUnit.SECONDS)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aBareNumberKeepsTheOptionsOwnUnit() {
        assertThat(DurationOption.parse("60", ChronoUnit.SECONDS)).isEqualTo(Duration.ofSeconds(60));
        assertThat(DurationOption.parse("1000", ChronoUnit.MILLIS)).isEqualTo(Duration.ofSeconds(1));
        assertThat(new DurationOption.Seconds().convert("20")).isEqualTo(Duration.ofSeconds(20));
        assertThat(new DurationOption.Millis().convert("20")).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void anUnknownUnitANegativeNumberOrNoNumberIsRefusedWithTheFormsThatWork() {
        for (String bad : new String[] {"20x", "10 min", "-5", "s", "", "1e3", "fast"}) {
            assertThatThrownBy(() -> DurationOption.parse(bad, ChronoUnit.SECONDS))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("is not a duration")
                    .hasMessageContaining("ms, s, m, h")
                    .hasMessageContaining("a bare number of seconds");
        }
    }

    @Test
    void aDurationTooLongForMillisecondsIsRefused() {
        assertThatThrownBy(() -> DurationOption.parse("99999999999999999h", ChronoUnit.SECONDS))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("too long");
    }
}
