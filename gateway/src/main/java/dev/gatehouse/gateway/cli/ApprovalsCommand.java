package dev.gatehouse.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse approvals}: decide approval requests through a running gateway's admin API. */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description =
        "List, show, approve or deny approval requests. You prove who you are with your token"
            + " (--token or GATEHOUSE_TOKEN); the gateway checks that you may decide.",
    subcommands = {
      ApprovalsCommand.List.class,
      ApprovalsCommand.Show.class,
      ApprovalsCommand.Approve.class,
      ApprovalsCommand.Deny.class
    })
public final class ApprovalsCommand {

  /** Where the gateway is and who is asking. */
  static final class Client {
    @Option(
        names = "--url",
        description =
            "the gateway's HTTP address (default: GATEHOUSE_URL or http://127.0.0.1:8080)")
    String url;

    @Option(names = "--token", description = "your bearer token (default: GATEHOUSE_TOKEN)")
    String token;

    @Option(
        names = "--format",
        defaultValue = "text",
        description = "text or json; for `list` also `ids` (one id a line, for scripts)")
    String format;

    Map<String, Object> call(String method, String path, String body) throws IOException {
      String base =
          url != null
              ? url
              : System.getenv().getOrDefault("GATEHOUSE_URL", "http://127.0.0.1:8080");
      String t = token != null ? token : System.getenv("GATEHOUSE_TOKEN");
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("give your token with `--token` or GATEHOUSE_TOKEN");
      }
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + t.strip())
              .header("Accept", "application/json");
      if (body != null) {
        req.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        req.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try (HttpClient http = HttpClient.newHttpClient()) {
        response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot reach the gateway at `" + base + "`: " + e);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed =
          response.body().isBlank() ? Map.of() : Json.MAPPER.readValue(response.body(), Map.class);
      if (response.statusCode() >= 300) {
        Object error = parsed.get("error");
        throw new IllegalArgumentException(
            "the gateway refused ("
                + response.statusCode()
                + "): "
                + (error == null ? response.body() : error));
      }
      return parsed;
    }

    void print(PrintWriter out, Map<String, Object> request) {
      if ("json".equals(format)) {
        out.println(Json.write(request));
        return;
      }
      // Every value is shown as text, never acted on by the terminal (Tables.visible).
      out.println("id:        " + Tables.visible(String.valueOf(request.get("id"))));
      out.println("state:     " + Tables.visible(String.valueOf(request.get("state"))));
      out.println(
          "requester: "
              + Tables.visible(String.valueOf(request.get("requesterSubject")))
              + " ("
              + Tables.visible(String.valueOf(request.get("requesterIssuer")))
              + ")");
      out.println("database:  " + Tables.visible(String.valueOf(request.get("database"))));
      out.println(
          "sql:       " + Tables.visible(String.valueOf(request.get("sql")), "           "));
      // The values the approval is bound to, as the audit keeps them (clear or keyed hashes).
      if (request.get("params") instanceof java.util.List<?> params && !params.isEmpty()) {
        for (int i = 0; i < params.size(); i++) {
          out.println(
              (i == 0 ? "params:    $" : "           $")
                  + (i + 1)
                  + " = "
                  + Tables.visible(String.valueOf(params.get(i))));
        }
        if (params.stream()
            .anyMatch(
                p ->
                    p instanceof String s
                        && s.startsWith(dev.gatehouse.engine.approval.ApprovalParams.HASHED))) {
          out.println("           (" + dev.gatehouse.engine.approval.ApprovalParams.NOTE + ")");
        }
      }
      out.println("rules:     " + Tables.visible(String.valueOf(request.get("ruleIds"))));
      out.println("reasons:   " + Tables.visible(String.valueOf(request.get("reasons"))));
      out.println("expires:   " + Tables.visible(String.valueOf(request.get("expiresAt"))));
      if (request.get("decidedBy") != null) {
        out.println(
            "decided:   "
                + Tables.visible(String.valueOf(request.get("decidedBy")))
                + " at "
                + Tables.visible(String.valueOf(request.get("decidedAt"))));
      }
    }
  }

  /** {@code 30s}, {@code 2m}: how long {@code list --wait} polls. */
  static long waitNanos(String text) {
    var m = java.util.regex.Pattern.compile("(\\d{1,6})(s|m)").matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "`--wait` takes seconds or minutes, e.g. `30s`, not `" + text + "`");
    }
    long n = Long.parseLong(m.group(1));
    return java.util.concurrent.TimeUnit.SECONDS.toNanos(m.group(2).equals("m") ? n * 60 : n);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Pending requests you may decide, and your own.")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Client client;

    @Option(
        names = "--wait",
        description = "wait up to this long (e.g. 30s) for at least one request to be listed")
    String wait;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Map<String, Object> body = client.call("GET", "/admin/approvals", null);
      if (wait != null) {
        // a script that just started a statement asks before the request exists: poll
        long deadline = System.nanoTime() + waitNanos(wait);
        while (((java.util.List<?>) body.getOrDefault("approvals", java.util.List.of())).isEmpty()
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
          body = client.call("GET", "/admin/approvals", null);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      java.util.List<?> approvals =
          (java.util.List<?>) body.getOrDefault("approvals", java.util.List.of());
      if ("json".equals(client.format)) {
        out.println(Json.write(body));
      } else if ("ids".equals(client.format)) {
        for (Object o : approvals) {
          out.println(((Map<?, ?>) o).get("id"));
        }
      } else {
        table(approvals, out);
      }
      out.flush();
      return 0;
    }
  }

  /**
   * The pending requests, one line each. A line cannot hold a whole message, so it names the rules
   * and each statement's first word, and the cut SQL says so: a leading read-only statement does
   * not stand for the message (red-team round 38).
   */
  static void table(java.util.List<?> approvals, PrintWriter out) {
    Tables t = new Tables("ID", "REQUESTER", "DATABASE", "EXPIRES", "RULES", "STATEMENTS", "SQL");
    boolean cut = false;
    for (Object o : approvals) {
      Map<?, ?> r = (Map<?, ?>) o;
      String sql = String.valueOf(r.get("sql"));
      String shown = Tables.shorten(sql, 48);
      cut |= !shown.equals(sql.replaceAll("\\s+", " ").strip());
      Object rules = r.get("ruleIds");
      t.row(
          String.valueOf(r.get("id")),
          String.valueOf(r.get("requesterSubject")),
          String.valueOf(r.get("database")),
          String.valueOf(r.get("expiresAt")),
          rules instanceof java.util.List<?> l
              ? String.join(",", l.stream().map(String::valueOf).toList())
              : String.valueOf(rules),
          Tables.statements(sql),
          shown);
    }
    t.print(out);
    if (cut) {
      out.println("(SQL cut at …: read a request whole with `gatehouse approvals show <id>`)");
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One request in full.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Client client;

    @Parameters(index = "0", description = "the request id")
    String id;

    @Override
    public Integer call() throws IOException {
      client.print(spec.commandLine().getOut(), client.call("GET", "/admin/approvals/" + id, null));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a request.")
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Client client;

    @Parameters(index = "0", description = "the request id")
    String id;

    @Override
    public Integer call() throws IOException {
      client.print(
          spec.commandLine().getOut(),
          client.call("POST", "/admin/approvals/" + id + "/approve", ""));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "deny",
      mixinStandardHelpOptions = true,
      description = "Deny a request, saying why.")
  static final class Deny implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Client client;

    @Parameters(index = "0", description = "the request id")
    String id;

    @Option(names = "--reason", required = true, description = "why (the requester sees it)")
    String reason;

    @Override
    public Integer call() throws IOException {
      String body = Json.MAPPER.writeValueAsString(Map.of("reason", reason));
      client.print(
          spec.commandLine().getOut(),
          client.call("POST", "/admin/approvals/" + id + "/deny", body));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
