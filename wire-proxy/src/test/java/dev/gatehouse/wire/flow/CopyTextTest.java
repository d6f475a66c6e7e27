package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyTextTest {

  /** Masks column 1 to a value that needs escaping, keeps NULL as NULL. */
  static final MaskPlan PLAN =
      new MaskPlan() {
        @Override
        public boolean passesThrough() {
          return false;
        }

        @Override
        public boolean inspects(int column) {
          return column == 1;
        }

        @Override
        public byte[] apply(int column, byte[] value) {
          return value == null
              ? null
              : ("[" + new String(value, StandardCharsets.UTF_8) + "]\t")
                  .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<AppliedMask> applied() {
          return List.of();
        }
      };

  @Test
  void masksOneFieldAndEscapesTheResult() {
    byte[] line = "1\ta\\tb\\\\c\tz\n".getBytes(StandardCharsets.UTF_8);
    String masked =
        new String(CopyText.maskLine(Unpooled.wrappedBuffer(line), PLAN), StandardCharsets.UTF_8);
    assertThat(masked).isEqualTo("1\t[a\\tb\\\\c]\\t\tz\n");
  }

  @Test
  void nullStaysNull() {
    byte[] line = "7\t\\N\n".getBytes(StandardCharsets.UTF_8);
    String masked =
        new String(CopyText.maskLine(Unpooled.wrappedBuffer(line), PLAN), StandardCharsets.UTF_8);
    assertThat(masked).isEqualTo("7\t\\N\n");
  }

  @Test
  void unescapesOctalAndHex() {
    byte[] field = "\\101\\x42\\n".getBytes(StandardCharsets.UTF_8);
    assertThat(new String(CopyText.unescape(field, 0, field.length), StandardCharsets.UTF_8))
        .isEqualTo("AB\n");
  }
}
