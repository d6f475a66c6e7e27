package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The figures and the Markdown section of the approval part. */
final class ApprovalSection {

  private final List<ApprovalBench.Round> rounds;
  private final int warmup;
  private final ApprovalAudit audit;
  private final Latencies direct;
  private final Latencies fromReturn;
  private final Latencies fromSend;
  private final String config;
  private final String durability;
  private final boolean listenerLost;

  ApprovalSection(
      List<ApprovalBench.Round> rounds,
      int warmup,
      ApprovalAudit audit,
      Latencies direct,
      String config,
      String durability,
      boolean listenerLost) {
    this.rounds = rounds;
    this.warmup = warmup;
    this.audit = audit;
    this.direct = direct;
    this.fromReturn =
        Latencies.of(rounds.stream().mapToLong(ApprovalBench.Round::fromReturn).toArray());
    this.fromSend =
        Latencies.of(rounds.stream().mapToLong(ApprovalBench.Round::fromSend).toArray());
    this.config = config;
    this.durability = durability;
    this.listenerLost = listenerLost;
  }

  Map<String, Object> figures() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("rounds", rounds.size());
    f.put("warmupRounds", warmup);
    f.put("fromApproveReturned", fromReturn.toJson());
    f.put("fromApproveSent", fromSend.toJson());
    f.put("directDropAsOwner", direct.toJson());
    f.put("pollInterval", setting("pollInterval"));
    f.put("expirySweep", setting("expirySweep"));
    f.put("durability", durability);
    f.put("listenerConnectionLost", listenerLost);
    List<Map<String, Object>> each = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      ApprovalBench.Round r = rounds.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("approvalId", r.approvalId().toString());
      m.put("fromReturnMs", r.fromReturn() / 1e6);
      m.put("fromSendMs", r.fromSend() / 1e6);
      m.put("auditSteps", audit.steps().get(i));
      each.add(m);
    }
    f.put("each", each);
    return f;
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append("## 6. Approval round trip across instances\n\n");
    md.append(
        """
        Two gateways, `bench-a` and `bench-b` (`gatehouse.jar serve`, `-Xmx256m`, reference \
        policy), share one control database. `etl-nightly` (client-credentials token, one JDBC \
        connection to B's wire port) sends `DROP TABLE app.bench_scratch_<n>`, which rule \
        `etl-nightly-destructive-needs-approval` holds; B answers with a notice and waits. The \
        bench finds the pending request through A's admin API (`GET /admin/approvals`, polled \
        every 5 ms, as `dba`), then `dba` approves it through A (`POST \
        /admin/approvals/{id}/approve`). Measured until the held `execute` returns on B's \
        client: from the moment the approve call returned, and from the moment it was sent. \
        %d rounds after %d warm-up rounds, one at a time; each table was created beforehand \
        owned by `gatehouse_owner`, the role the approved DDL runs as.

        """
            .formatted(rounds.size(), warmup));
    md.append("| span | median ms | p95 ms | max ms | min ms |\n|---|---:|---:|---:|---:|\n");
    row(md, "approve returned → held DROP returned on B", fromReturn);
    row(md, "approve sent → held DROP returned on B", fromSend);
    row(md, "baseline: the same DROP TABLE run directly as gatehouse_owner", direct);
    md.append(
        """

        No target in the issue; these are the figures. A negative "from returned" would mean \
        B finished before A's HTTP answer reached the client (the decision commits, and its \
        NOTIFY leaves, before A writes its response).

        **The mechanism measured.** A's approve call verifies the DBA's token, checks the \
        approver policy, and in one control-database transaction moves the request from \
        `PENDING` to `APPROVED` with a conditional `UPDATE` and a `NOTIFY` on the approvals \
        channel; the `APPROVED` step is recorded in A's audit chain. The NOTIFY is delivered at \
        commit to every instance's one `LISTEN` connection; B's listener thread (blocked in \
        `getNotifications`) wakes the waiting statement, which consumes the approval (a second \
        conditional `UPDATE` to `USED`, recorded), records the statement, runs `DROP TABLE` \
        upstream as `gatehouse_owner`, and answers the client. Polling is only the fallback \
        while an instance's LISTEN connection is lost: every `pollInterval` (%s here, from \
        `examples/gatehouse.yaml`); the expiry sweep runs every %s. No poll was involved in \
        these rounds: %s.

        """
            .formatted(
                setting("pollInterval"),
                setting("expirySweep"),
                listenerLost
                    ? "**an instance's log says its LISTEN connection was lost during the run,"
                        + " so some rounds may have waited for a poll**"
                    : "neither instance's log reports a lost LISTEN connection"));
    md.append("**To trust the numbers.**\n");
    md.append(
        "- Every held DROP returned without error only after its approval, and the table was gone"
            + " afterwards (checked as superuser with `to_regclass`).\n");
    md.append("- The shared audit trail holds, for every measured approval, `REQUESTED` and `USED`")
        .append(" written by `bench-b`, `APPROVED` by `dba` written by `bench-a`, and ")
        .append(audit.statementRecords())
        .append(" statement record(s) on `bench-b` naming the approval. First round's steps: `")
        .append(audit.steps().getFirst())
        .append("`.\n");
    md.append("- PostgreSQL settings read back in this run: ").append(durability).append(".\n");
    md.append(
        "- The approval call itself is part of the \"from sent\" span only; the polling of the"
            + " pending list happens before either span starts.\n");
    return md.toString();
  }

  private String setting(String name) {
    Matcher m = Pattern.compile("\\b" + name + ":\\s*(\\S+)").matcher(config);
    return m.find() ? m.group(1) : "unknown";
  }

  private static void row(StringBuilder md, String what, Latencies l) {
    md.append("| ")
        .append(what)
        .append(" | ")
        .append(Latencies.ms(l.medianNanos()))
        .append(" | ")
        .append(Latencies.ms(l.p95Nanos()))
        .append(" | ")
        .append(Latencies.ms(l.maxNanos()))
        .append(" | ")
        .append(Latencies.ms(l.minNanos()))
        .append(" |\n");
  }
}
