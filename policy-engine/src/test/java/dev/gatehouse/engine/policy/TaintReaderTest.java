package dev.gatehouse.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.TableRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code taint} section: what it reads, and the errors of a wrong one. */
class TaintReaderTest {

  private static Policy parse(String taint) {
    String yaml = PolicyLoaderTest.DB + "rules: []\n" + taint;
    return new PolicyLoader(Map.of("READER_PW", "pw")::get)
        .parse(Path.of("policy.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static String error(String taint) {
    return assertThrows(PolicyException.class, () -> parse(taint)).getMessage();
  }

  @Test
  void absentMeansOff() {
    assertThat(parse("").taint()).isEqualTo(TaintSettings.NONE);
  }

  @Test
  void readsColumnsGroupsAndChannels() {
    TaintSettings t =
        parse(
                """
                taint:
                  untrusted: [app.orders.note, "app.*.comment"]
                  groups: [analysts]
                  channels: [mcp]
                """)
            .taint();
    assertThat(t.groups()).containsExactly("analysts");
    assertThat(t.channels()).containsExactly(Channel.MCP);
    assertThat(t.untrusted(new ColumnRef(TableRef.of("app.orders"), "note"))).isTrue();
    assertThat(t.untrusted(new ColumnRef(TableRef.of("app.tickets"), "comment"))).isTrue();
    assertThat(t.untrusted(new ColumnRef(TableRef.of("app.orders"), "total"))).isFalse();
    assertThat(t.mayHoldUntrusted(TableRef.of("app.orders"))).isTrue();
    assertThat(t.mayHoldUntrusted(TableRef.of("public.payments"))).isFalse();
  }

  @Test
  void channelsDefaultToMcp() {
    assertThat(parse("taint:\n  untrusted: [app.orders.note]\n").taint().channels())
        .containsExactly(Channel.MCP);
  }

  @Test
  void badConfigurationIsNamed() {
    assertThat(error("taint:\n  groups: [analysts]\n"))
        .contains("untrusted")
        .contains("missing; list the free-text columns to distrust");
    assertThat(error("taint:\n  untrusted: [orders.note]\n"))
        .contains("expected `schema.table.column` (globs allowed), found `orders.note`");
    assertThat(error("taint:\n  untrusted: [app.orders.note]\n  channels: [cli]\n"))
        .contains("unknown value `cli`; expected one of mcp");
    assertThat(error("taint:\n  untrusted: [app.orders.note]\n  channels: [mcp, wire]\n"))
        .contains("`wire` is not supported: the wire proxy does not track what a connection read");
    assertThat(error("taint:\n  untrusted: [app.orders.note]\n  channel: [mcp]\n"))
        .contains("unknown field `channel`");
    assertThat(error("taint: yes\n")).contains("taint");
  }
}
