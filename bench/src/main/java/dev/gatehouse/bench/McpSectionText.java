package dev.gatehouse.bench;

import java.util.Locale;
import java.util.Map;

/** The explanations of the MCP section: transports, work per call, and why to trust the rows. */
final class McpSectionText {

  private McpSectionText() {}

  static String transports() {
    return """
        **How the transports differ.** *stdio*: the client starts the server as its child \
        process and writes one JSON-RPC line per call to its stdin; the answer comes back as one \
        line on its stdout: no connection set-up, no headers, no authentication (whoever starts \
        the process is the caller). *Streamable HTTP*: each call is an HTTP POST of the JSON-RPC \
        request to `/mcp` on a kept-alive loopback connection (JDK `HttpClient`), with \
        `Authorization: Bearer <token>` and `Mcp-Session-Id`; the client sends no \
        `progressToken`, so Gatehouse answers with a plain JSON body (a call with one gets a \
        server-sent event stream), as DBHub (stateless mode) does. HTTP adds request parsing, \
        a servlet stack and, for Gatehouse, the token check to every call; it is the transport a \
        shared, remote, multi-user server needs, which a stdio server cannot be.

        """;
  }

  static String perCall() {
    return """
        **What each server does per call.**
        - *Gatehouse* (`gatehouse.jar serve`, `-Xmx256m`, reference policy, masking and audit \
        on): verifies the bearer token (JWT signature against the cached JWKS, issuer, audience, \
        expiry) and records the check (`AUTHENTICATION`); parses and analyses the SQL (kept by \
        the statement's shape after the first call); decides it against the reference policy \
        (rule `analysts-read`); writes the HMAC-chained `STATEMENT` record where the audit \
        durability setting above says (the local audit log, shipped to the control database in \
        bulk by a background thread, or the control database itself); on a pooled upstream \
        connection as `gatehouse_reader` runs the SELECT in a read-only transaction, then \
        `COMMIT` (the session reset `CLOSE ALL; DEALLOCATE ALL; RESET ALL; SET …` runs only when \
        the connection's last caller could have changed its session); applies the mask plan (no \
        rule masks `id` or `full_name`; the card-number and email detectors scan both cells); \
        waits until the statement record is durable before the result leaves; records the \
        `OUTCOME`. Over stdio (`gatehouse.jar mcp-stdio`, token in `GATEHOUSE_TOKEN`) the token \
        is verified once, at start, so the per-call token check and its record fall away; \
        everything else is the same. *stdio, AOT cache* is that same `mcp-stdio` started with \
        `-XX:AOTCache` (JDK 25): its JVM begins with the classes a training run loaded and \
        linked and the methods it profiled (`gatehouse aot-cache`, docs/mcp.md), so less of the \
        JIT's warm-up falls into the measured calls of a process this young. An agent starts \
        `mcp-stdio` afresh for each session, so that warm-up is what its calls meet.
        - *Reference server* (`@modelcontextprotocol/server-postgres` 0.6.2, Node 20, stdio): \
        takes a client from a `pg` pool, sends `BEGIN TRANSACTION READ ONLY`, then the SQL as a \
        simple query, returns the rows as JSON text, and queues `ROLLBACK` without waiting for \
        it before releasing the client. No identity, policy, masking or audit.
        - *DBHub* (`@bytebase/dbhub` 0.21.2, the latest release that runs on Node 20; its \
        `execute_sql` tool configured `readonly`): checks that each statement starts with a \
        read-only keyword, runs the SQL on a pooled `pg` client, keeps the request in an \
        in-memory log for its web UI. Over HTTP it is stateless: a new MCP server object per \
        POST, no authentication. No policy, masking or audit.

        """;
  }

  private static String clientMean(McpRun run) {
    Latencies l = run.find("Gatehouse", "streamable HTTP");
    return l == null ? "(not measured)" : Latencies.ms(l.meanNanos());
  }

  private static String mean(Map<String, Object> timer) {
    Object mean = timer == null ? null : timer.get("meanMs");
    return mean == null ? "(not reported)" : String.format(Locale.ROOT, "%.3f", (Double) mean);
  }

  static String trust(McpRun run, Map<String, Map<String, Long>> audit) {
    StringBuilder md = new StringBuilder("**To trust the numbers.**\n");
    md.append(
        "- Every warm-up and timed call returned the expected row; any other answer stops the"
            + " part.\n");
    audit.forEach(
        (instance, c) ->
            md.append("- Audit trail of Gatehouse instance `")
                .append(instance)
                .append("`: ")
                .append(c.get("statementsAllowed"))
                .append(" allowed statement records of the measured SELECT (")
                .append(run.warmup() + run.calls())
                .append(" calls), ")
                .append(c.get("outcomes"))
                .append(" outcome records, ")
                .append(c.get("authentications"))
                .append(" token checks recorded.\n"));
    if (run.commitFloor() != null) {
      md.append("- One commit on the same PostgreSQL (a 900-byte row inserted into the")
          .append(
              " control database, autocommit, the settings above), measured in this run: median ")
          .append(Latencies.ms(run.commitFloor().medianNanos()))
          .append(" ms, p99 ")
          .append(Latencies.ms(run.commitFloor().p99Nanos()))
          .append(
              BenchStack.auditDurability().equals("control-database")
                  ? " ms. Gatehouse waits for one such commit (its audit writer's batch) before it"
                      + " returns a result; the peers commit nothing.\n"
                  : " ms. With the local audit log Gatehouse waits for its own log's append, not"
                      + " for such a commit, before it returns a result; the shipper commits"
                      + " records in bulk beside the calls. The peers commit nothing.\n");
    }
    if (!run.inside().isEmpty()) {
      md.append("- Inside the HTTP gateway, from its own timers (`/actuator/prometheus`, means")
          .append(" over all its calls, warm-up included): analyse and decide ")
          .append(mean(run.inside().get("decision")))
          .append(" ms; upstream run (the session reset when due, the SELECT, `COMMIT`) ")
          .append(mean(run.inside().get("upstreamStatement")))
          .append(" ms; a whole `POST /mcp` as the servlet timer sees it (until its response")
          .append(" ends) ")
          .append(mean(run.inside().get("postMcp")))
          .append(" ms (means, so outliers weigh in: compare the client's mean for the HTTP row, ")
          .append(clientMean(run))
          .append(" ms, not its median).\n");
    }
    md.append("- Masking probe `")
        .append(McpBench.MASK_PROBE)
        .append("` after the timed calls, `")
        .append(McpBench.EMAIL)
        .append("` in clear: ");
    StringBuilder probes = new StringBuilder();
    run.emailInClear()
        .forEach(
            (label, clear) ->
                probes
                    .append(probes.isEmpty() ? "" : ", ")
                    .append(label)
                    .append(clear ? " yes" : " no (masked)"));
    md.append(probes).append(".\n");
    md.append(
        "- Gatehouse, the reference server and DBHub are separate processes on the same 2 cores"
            + " as the client and PostgreSQL; the client's JIT is warmed by the warm-up calls of"
            + " every server.\n");
    return md.toString();
  }
}
