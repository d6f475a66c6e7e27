package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.TaintSettings;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy's {@code taint} switch: a session whose caller has seen text from an untrusted column
 * (a prompt injection planted in {@code app.orders.note}, say) has its next writes held for a
 * human. What the caller saw is read from the statement's lineage; where lineage is unknown over a
 * table that may hold untrusted text, the session is tainted all the same.
 */
public final class TaintGuard {

  /** Rule id of a write held because its session read untrusted text. */
  public static final String RULE_ID = "taint";

  /**
   * Rule id of a write held because it copies untrusted text where the switch does not look. An id
   * of its own: an approval covers the holds its approver saw, by rule id (red-team round 55: the
   * approval of a clean session's copy, held under the same id, was taken by a session that had
   * read untrusted text).
   */
  public static final String COPY_RULE_ID = "taint-copy";

  private TaintGuard() {}

  /**
   * {@code verdict}, or the same statement held for approval when it writes after its session read
   * untrusted text, or when it copies untrusted text into a column the switch does not follow (on
   * any channel, by any principal); marks the session when this statement returns untrusted text.
   */
  static Verdict apply(TaintSettings settings, StatementRequest request, Verdict verdict) {
    if (verdict.analysis() == null || verdict.decision().effect() == Effect.DENY) {
      return verdict;
    }
    // Whoever writes it, on any channel: text copied where the switch does not look is laundered.
    String copy = untrustedCopy(settings, verdict.analysis().statements());
    SessionTaint session = request.taint();
    if (session == null || !settings.appliesTo(request.principal(), request.context().channel())) {
      return copy == null ? verdict : held(verdict, COPY_RULE_ID, copy);
    }
    // Held on what was read before: the text this statement returns cannot have shaped it. Held
    // for both reasons when both hold, so that its approver sees both.
    String source = session.source();
    Verdict result = verdict;
    if (source != null && writes(verdict.analysis().statements())) {
      result = held(result, RULE_ID, readReason(source));
    }
    if (copy != null) {
      result = held(result, COPY_RULE_ID, copy);
    }
    String read = untrustedRead(settings, verdict.analysis().statements());
    if (read != null) {
      session.mark(read);
    }
    return result;
  }

  private static String readReason(String source) {
    return "this session read untrusted text from `"
        + source
        + "`; writes after it need approval (the policy's `taint` switch): ask a dba to"
        + " approve, or write from a session that has not read it";
  }

  /**
   * Why a write that copies untrusted text into a column the switch does not follow needs approval,
   * or null: read back from there, the text would taint no one (red-team round 21: an UPDATE set a
   * payment's status to an order's note, and reading the status then let the next write run).
   */
  static String untrustedCopy(TaintSettings settings, List<StatementInfo> statements) {
    if (settings.untrusted().isEmpty()) {
      return null; // no column is untrusted: nothing to copy
    }
    for (StatementInfo s : statements) {
      for (dev.gatehouse.engine.sql.model.ColumnUse use : s.uses()) {
        if (!use.isWrite() || settings.untrustedName(use.writtenTo()) != null) {
          continue;
        }
        for (ColumnRef source : use.sources()) {
          String name = settings.untrustedName(source);
          if (name != null) {
            return "it copies untrusted text from `"
                + name
                + "` into `"
                + use.writtenTo()
                + "`, which the policy's `taint` switch does not follow, so whoever reads it there"
                + " later would not be held: ask a dba to approve, or list the target column as"
                + " untrusted too";
          }
        }
      }
    }
    return null;
  }

  private static Verdict held(Verdict verdict, String ruleId, String reason) {
    Decision d = verdict.decision();
    List<String> rules = new ArrayList<>(d.ruleIds());
    String explanation = reason;
    if (d.effect() == Effect.REQUIRE_APPROVAL) {
      explanation = d.explanation() + "; also, " + reason;
    } else {
      rules.clear();
    }
    rules.add(ruleId);
    return new Verdict(
        verdict.analysis(),
        new Decision(
            Effect.REQUIRE_APPROVAL, rules, explanation, d.obligations(), d.policyRevision()));
  }

  /** True when a statement may change data or the schema. */
  static boolean writes(List<StatementInfo> statements) {
    for (StatementInfo s : statements) {
      StatementClass c = s.statementClass();
      boolean harmless =
          c == StatementClass.READ
              || c == StatementClass.TRANSACTION
              || c == StatementClass.SESSION;
      if (!harmless || !s.tablesWritten().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first untrusted column a statement uses in any clause (a WHERE, an ORDER BY, a cast, an
   * argument), or null, when the taint switch applies to {@code request}: if the statement fails,
   * PostgreSQL's error may quote that column's text ({@code invalid input syntax for type integer:
   * "…"}), and the caller reads it as surely as a result (red-team round 20: {@code WHERE note::int
   * > 0} showed an order's note, and the next write ran without approval).
   */
  static String untrustedUse(TaintSettings settings, StatementRequest request, Verdict verdict) {
    if (request.taint() == null
        || verdict.analysis() == null
        || !settings.appliesTo(request.principal(), request.context().channel())) {
      return null;
    }
    for (StatementInfo s : verdict.analysis().statements()) {
      for (dev.gatehouse.engine.sql.model.ColumnUse use : s.uses()) {
        for (ColumnRef source : use.sources()) {
          String name = settings.untrustedName(source);
          if (name != null) {
            return name;
          }
        }
      }
    }
    return null;
  }

  /**
   * True for an error whose text may quote a value: every error but those known to name only
   * objects or states ({@link ErrorRedaction#quotesNothing}: the gateway's own refusals, 42501 for
   * a write rolled back over its bound, 57014, 25P02, serialization failures, resource limits). A
   * list of the classes that quote was not enough: a name built from the value quotes it too
   * ({@code quote_ident(note)::regclass}: 42P01 relation "…" does not exist; regproc 42883, regrole
   * 42704, regnamespace 3F000, {@code current_setting(note)} 42704; red-team round 22). Null is no
   * error.
   */
  static boolean mayQuoteData(String sqlState) {
    return sqlState != null && !ErrorRedaction.quotesNothing(sqlState);
  }

  /** The first untrusted column whose text a statement returns, or null. */
  static String untrustedRead(TaintSettings settings, List<StatementInfo> statements) {
    for (StatementInfo s : statements) {
      for (OutputColumn out : s.outputColumns()) {
        for (ColumnRef source : out.sources()) {
          String name = settings.untrustedName(source);
          if (name != null) {
            return name;
          }
        }
        if (out.opaque()) {
          // Unknown lineage over a table that may hold untrusted text: assume it was returned.
          for (TableRef t : s.tablesRead()) {
            if (settings.mayHoldUntrusted(t)) {
              return t.qualified();
            }
          }
        }
      }
    }
    return null;
  }
}
