package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a catalog read ({@code describe}) appears in the audit trail: command tag {@code DESCRIBE},
 * the disclosed relations as the tables it read, and a text that says what it was — never a
 * statement that did not run.
 */
final class CatalogReads {

  /** The command tag of a catalog read. */
  static final String TAG = "DESCRIBE";

  private CatalogReads() {}

  static String text(List<TableRef> disclosed) {
    return disclosed.isEmpty()
        ? "describe (catalog read): nothing disclosed"
        : "describe (catalog read): "
            + disclosed.stream().map(TableRef::qualified).collect(Collectors.joining(", "));
  }

  static Analysis analysis(String text, List<TableRef> disclosed) {
    Set<TableRef> tables = new LinkedHashSet<>(disclosed);
    return new Analysis(
        text,
        List.of(
            new StatementInfo(
                text,
                TAG,
                StatementClass.READ,
                tables,
                Set.of(),
                Set.of(),
                Map.of(),
                Set.of(),
                List.of())),
        TAG);
  }

  static Decision decision(Decision allowedBy, int objects) {
    if (allowedBy.effect() != Effect.ALLOW) {
      return new Decision(
          Effect.DENY,
          allowedBy.ruleIds(),
          allowedBy.explanation(),
          Obligations.NONE,
          allowedBy.policyRevision());
    }
    return new Decision(
        Effect.ALLOW,
        allowedBy.ruleIds(),
        "catalog read: the structure of " + objects + " relation(s) the caller may read",
        Obligations.NONE,
        allowedBy.policyRevision());
  }
}
