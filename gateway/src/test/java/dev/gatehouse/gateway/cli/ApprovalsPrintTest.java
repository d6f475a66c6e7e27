package dev.gatehouse.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `approvals show` prints the parameters the approval is bound to, and says when they are hashed.
 */
class ApprovalsPrintTest {

  private static String show(List<String> params) {
    ApprovalsCommand.Client client = new ApprovalsCommand.Client();
    client.format = "text";
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", "1");
    request.put("sql", "UPDATE app.orders SET note = $1 WHERE id > $2");
    request.put("params", params);
    StringWriter out = new StringWriter();
    client.print(new PrintWriter(out, true), request);
    return out.toString();
  }

  @Test
  void clearParametersAreShown() {
    assertThat(show(List.of("late", "0")))
        .contains("params:    $1 = late")
        .contains("$2 = 0")
        .doesNotContain("keyed hashes");
  }

  @Test
  void hashedParametersCarryTheNote() {
    assertThat(show(List.of("hmac:0a1b", "NULL")))
        .contains("$1 = hmac:0a1b")
        .contains(ApprovalParams.NOTE);
  }
}
