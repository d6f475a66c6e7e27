package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void argumentBeatsEnvironmentBeatsDefault() {
    Map<String, String> env = Map.of("CALLS", "50");
    assertThat(Settings.positive(new String[] {"7"}, 0, "CALLS", env, 1000)).isEqualTo(7);
    assertThat(Settings.positive(new String[] {}, 0, "CALLS", env, 1000)).isEqualTo(50);
    assertThat(Settings.positive(new String[] {}, 0, "CALLS", Map.of(), 1000)).isEqualTo(1000);
    assertThat(Settings.positive(new String[] {"7"}, 1, "CALLS", Map.of("CALLS", " "), 9))
        .isEqualTo(9);
  }

  @Test
  void refusesWhatIsNotAPositiveWholeNumber() {
    assertThatThrownBy(() -> Settings.positive(new String[] {"ten"}, 0, "CALLS", Map.of(), 1))
        .hasMessage("argument 1 must be a positive whole number, not `ten`");
    assertThatThrownBy(
            () -> Settings.positive(new String[] {}, 0, "CALLS", Map.of("CALLS", "0"), 1))
        .hasMessage("CALLS must be a positive whole number, not `0`");
  }
}
