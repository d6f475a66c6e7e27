package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.cache.BoundedCache;
import dev.gatehouse.engine.cache.Same;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pure functions from events to the JSON bodies of audit records. The field names are the search
 * API's vocabulary; never the token, never a clear parameter unless configured. Statement text and
 * parameters are bounded ({@link RecordBounds}).
 */
final class RecordBodies {

  /**
   * Buffers are recycled per thread: the default pool, a concurrent deque shared by every thread,
   * cost the shipper 7% of its time in that deque alone (issue 15's profile).
   */
  static final JsonMapper JSON =
      JsonMapper.builder(
              tools.jackson.core.json.JsonFactory.builder()
                  .recyclerPool(tools.jackson.core.util.JsonRecyclerPools.threadLocalPool())
                  .build())
          .build();

  private RecordBodies() {}

  static String authentication(AuthEvent e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("channel", e.channel() == null ? null : e.channel().name());
    b.put("database", e.database());
    b.put("clientApplication", e.clientApplication());
    b.put("clientAddress", e.clientAddress());
    b.put("issuer", e.issuer());
    b.put("subject", e.subject());
    b.put("succeeded", e.succeeded());
    b.put("failureReason", e.failureReason());
    return write(b);
  }

  static String connection(ConnectionEvent e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("opened", e.opened());
    b.put("connectionId", e.connectionId());
    b.put("principal", principal(e.principal()));
    context(b, e.context());
    if (e.ended() != null) {
      b.put("ended", e.ended());
    }
    return write(b);
  }

  static String statement(
      StatementEvent e, ParamMode mode, AuditKey paramKey, Set<String> tables, int captureLimit) {
    return statement(e, mode, paramKey, tables, captureLimit, RecordBounds.DEFAULTS);
  }

  /**
   * What a statement record says of its analysis: the tables it names (lower case, sorted), its
   * risk flags, and those fields written ({@code statementKinds} to {@code riskFlags}). Kept per
   * shape: the analyses of one prepared statement, or of one fingerprint whose verdict was kept,
   * share the very sets their fields are made of.
   */
  record Shape(Set<String> tables, Set<RiskFlag> riskFlags, String fragment) {}

  /** The shape of {@code analysis} (null: none), computed once per shape. */
  static Shape shape(Analysis analysis) {
    if (analysis == null) {
      return FRAGMENTS.shape(List.of(), () -> shapeOf(null, tables(null)));
    }
    List<Object> key = new ArrayList<>(analysis.statements().size() * 5);
    for (StatementInfo st : analysis.statements()) {
      key.add(new Same(st.tablesRead()));
      key.add(new Same(st.tablesWritten()));
      key.add(new Same(st.riskFlags()));
      key.add(String.valueOf(st.commandTag()));
      key.add(String.valueOf(st.statementClass()));
    }
    return FRAGMENTS.shape(key, () -> shapeOf(analysis, tables(analysis)));
  }

  private static Shape shapeOf(Analysis analysis, Set<String> tables) {
    Map<String, Object> m = new LinkedHashMap<>();
    analysisFields(m, analysis, tables);
    return new Shape(Set.copyOf(tables), Set.copyOf(riskFlags(analysis)), inner(write(m)));
  }

  /**
   * The statement record's body: exactly {@code write(statementFields(…))}, with the parts that
   * repeat from statement to statement written once (issue 15: the body was the largest part of a
   * prepared statement's path). The principal, context and connection are one session's; the
   * decision's fields are one {@link Decision} object's (a prepared statement's, or a verdict kept
   * by fingerprint), kept by identity, so a part is reused only for the very object it was written
   * from; the analysis's part is its {@link Shape}'s.
   */
  static String statement(
      StatementEvent e,
      ParamMode mode,
      AuditKey paramKey,
      Set<String> tables,
      int captureLimit,
      RecordBounds bounds) {
    Shape shape = shape(e.analysis());
    if (!shape.tables().equals(tables)) {
      shape = shapeOf(e.analysis(), tables); // a caller's own choice of tables (tests)
    }
    return statement(e, mode, paramKey, shape, captureLimit, bounds);
  }

  static String statement(
      StatementEvent e,
      ParamMode mode,
      AuditKey paramKey,
      Shape shape,
      int captureLimit,
      RecordBounds bounds) {
    Map<String, Object> b = new LinkedHashMap<>();
    SqlText.put(b, e.sql(), bounds.maxSqlChars());
    b.put("params", ParamValues.of(e.params(), mode, paramKey, bounds.maxParamChars()));
    b.put("approvalId", e.approvalId() == null ? null : e.approvalId().toString());
    String varying = write(b);
    StringBuilder out =
        new StringBuilder(varying.length() + shape.fragment().length() + 512)
            .append('{')
            .append(FRAGMENTS.head(e))
            .append(',')
            .append(FRAGMENTS.decision(e.decision()))
            .append(',')
            .append(shape.fragment())
            .append(",\"captureLimit\":")
            .append(captureLimit)
            .append(',')
            .append(varying, 1, varying.length());
    return out.toString();
  }

  /** The statement record's fields, in their order, as one map: what {@link #statement} writes. */
  static Map<String, Object> statementFields(
      StatementEvent e,
      ParamMode mode,
      AuditKey paramKey,
      Set<String> tables,
      int captureLimit,
      RecordBounds bounds) {
    Map<String, Object> b = new LinkedHashMap<>();
    headFields(b, e);
    decisionFields(b, e.decision());
    analysisFields(b, e.analysis(), tables);
    b.put("captureLimit", captureLimit);
    SqlText.put(b, e.sql(), bounds.maxSqlChars());
    b.put("params", ParamValues.of(e.params(), mode, paramKey, bounds.maxParamChars()));
    b.put("approvalId", e.approvalId() == null ? null : e.approvalId().toString());
    return b;
  }

  private static void headFields(Map<String, Object> b, StatementEvent e) {
    b.put("principal", principal(e.principal()));
    context(b, e.context());
    b.put("connectionId", e.connectionId());
  }

  private static void decisionFields(Map<String, Object> b, Decision d) {
    b.put("effect", d.effect().name());
    b.put("ruleIds", d.ruleIds());
    b.put("explanation", d.explanation());
    b.put("policyRevision", d.policyRevision());
  }

  private static void analysisFields(Map<String, Object> b, Analysis analysis, Set<String> tables) {
    List<StatementInfo> statements = analysis == null ? List.of() : analysis.statements();
    // An analysis that could not name a statement still leaves a searchable mark.
    b.put(
        "statementKinds",
        distinct(
            statements.stream()
                .map(st -> st.commandTag() == null ? "UNKNOWN" : st.commandTag())
                .toList()));
    b.put(
        "statementClasses",
        distinct(
            statements.stream()
                .map(st -> st.statementClass() == null ? "UNKNOWN" : st.statementClass().name())
                .toList()));
    b.put("tables", List.copyOf(tables));
    b.put("tablesRead", names(statements, true));
    b.put("tablesWritten", names(statements, false));
    b.put("riskFlags", riskFlags(analysis).stream().map(Enum::name).sorted().toList());
  }

  /** An object's fields without its braces (never empty here), to be joined with others. */
  private static String inner(String object) {
    return object.substring(1, object.length() - 1);
  }

  private static final Fragments FRAGMENTS = new Fragments(4_096);

  /** Written parts of statement bodies, bounded (least recently used out). */
  private static final class Fragments {

    /** One session's: the principal object, the context's fields but its time, the connection. */
    private record Head(
        Same principal,
        dev.gatehouse.engine.policy.Channel channel,
        String database,
        String clientApplication,
        String clientAddress,
        String connectionId) {}

    private final BoundedCache<Object, String> written;
    private final BoundedCache<List<Object>, Shape> shapes;

    Fragments(int capacity) {
      this.written = new BoundedCache<>(capacity);
      this.shapes = new BoundedCache<>(capacity);
    }

    String head(StatementEvent e) {
      RequestContext c = e.context();
      Object key =
          c == null
              ? null
              : new Head(
                  new Same(e.principal()),
                  c.channel(),
                  c.database(),
                  c.clientApplication(),
                  c.clientAddress(),
                  e.connectionId());
      return key == null ? headNow(e) : written.get(key, () -> headNow(e));
    }

    /** The shape kept for {@code key} (its statements' sets by identity, tags and classes). */
    Shape shape(List<Object> key, java.util.function.Supplier<Shape> make) {
      return shapes.get(key, make);
    }

    String decision(Decision d) {
      return written.get(new Same(d), () -> inner(write(fields(m -> decisionFields(m, d)))));
    }

    private static String headNow(StatementEvent e) {
      return inner(write(fields(m -> headFields(m, e))));
    }

    private static Map<String, Object> fields(
        java.util.function.Consumer<Map<String, Object>> put) {
      Map<String, Object> m = new LinkedHashMap<>();
      put.accept(m);
      return m;
    }
  }

  static String outcome(UUID statementId, StatementOutcome o, List<List<String>> captured) {
    if (o.masks().isEmpty()
        && captured.isEmpty()
        && o.capturedRows().isEmpty()
        && o.sqlState() == null
        && o.error() == null) {
      return plainOutcome(statementId, o);
    }
    return outcomeBody(statementId, o, captured);
  }

  /**
   * The body of the most common outcome (ran, nothing masked, no error, no rows captured), written
   * without the generator, which cost more than the rest of the record on the write path (issue
   * 15's profile). The same text as {@link #outcomeBody} writes (RecordBodiesTest).
   */
  private static String plainOutcome(UUID statementId, StatementOutcome o) {
    StringBuilder b = new StringBuilder(224);
    b.append("{\"statementId\":\"").append(statementId).append("\",\"rows\":").append(o.rows());
    b.append(",\"durationMicros\":");
    if (o.duration() == null) {
      b.append("null");
    } else {
      b.append(o.duration().toNanos() / 1_000);
    }
    return b.append(
            ",\"masks\":[],\"maskedColumns\":[],\"detectorHits\":[],\"sqlState\":null,"
                + "\"error\":null,\"capturedRows\":[],\"capturedTruncated\":false}")
        .toString();
  }

  static String outcomeBody(UUID statementId, StatementOutcome o, List<List<String>> captured) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("statementId", statementId.toString());
    b.put("rows", o.rows());
    b.put("durationMicros", o.duration() == null ? null : o.duration().toNanos() / 1_000);
    List<Map<String, Object>> masks = new ArrayList<>();
    Set<String> maskedColumns = new TreeSet<>();
    Set<String> detectorHits = new TreeSet<>();
    for (AppliedMask m : o.masks()) {
      Map<String, Object> mask = new LinkedHashMap<>();
      mask.put("outputColumn", m.outputColumn());
      mask.put("sourceColumn", m.sourceColumn());
      mask.put("ruleId", m.ruleId());
      mask.put("strategy", m.strategy() == null ? null : m.strategy().name());
      masks.add(mask);
      if (m.sourceColumn() != null) {
        maskedColumns.add(m.sourceColumn().toLowerCase(Locale.ROOT));
      }
      if (m.ruleId() != null && m.ruleId().startsWith("detector:")) {
        detectorHits.add(m.ruleId());
      }
    }
    b.put("masks", masks);
    b.put("maskedColumns", List.copyOf(maskedColumns));
    b.put("detectorHits", List.copyOf(detectorHits));
    b.put("sqlState", o.sqlState());
    b.put("error", o.error());
    b.put("capturedRows", captured);
    b.put("capturedTruncated", captured.size() < o.capturedRows().size());
    return write(b);
  }

  static String approval(ApprovalEvent e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("approvalId", e.approvalId().toString());
    b.put("step", e.step().name());
    b.put("actor", identity(e.actorIssuer(), e.actorSubject()));
    b.put("requester", identity(e.requesterIssuer(), e.requesterSubject()));
    b.put("database", e.database());
    b.put("detail", e.detail());
    return write(b);
  }

  /**
   * Serializes a body. PostgreSQL cannot store the NUL character in {@code jsonb} (nor in text),
   * and a client can send one in SQL or a parameter; left alone, one such record would fail its
   * batch on every retry and so refuse every governed statement. It is stored as U+FFFD instead.
   */
  static String write(Map<String, Object> body) {
    java.io.StringWriter out = new java.io.StringWriter(512);
    try (tools.jackson.core.JsonGenerator g = JSON.createGenerator(out)) {
      writeValue(g, body);
    }
    return withoutNul(out.toString());
  }

  /**
   * Streams a body's value: the types bodies are made of are written directly, which costs a
   * fraction of the mapper's serializer lookups on every statement's records (issue 15's profile);
   * any other type goes through the mapper, so the text is what the mapper writes.
   */
  private static void writeValue(tools.jackson.core.JsonGenerator g, Object value) {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Boolean b -> g.writeBoolean(b);
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeName(String.valueOf(e.getKey()));
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
      }
      case java.util.Collection<?> c -> {
        g.writeStartArray();
        for (Object o : c) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      default -> JSON.writeValue(g, value);
    }
  }

  /** Replaces each NUL escape (but not an escaped backslash that happens to precede "u0000"). */
  static String withoutNul(String json) {
    if (!json.contains("\\u0000")) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\' && i + 1 < json.length()) {
        if (json.startsWith("u0000", i + 1)) {
          out.append("\\ufffd");
          i += 5;
        } else {
          out.append(c).append(json.charAt(i + 1));
          i++;
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Every table a statement reads or writes, {@code schema.table} in lower case, sorted. */
  static Set<String> tables(Analysis analysis) {
    Set<String> all = new TreeSet<>();
    if (analysis != null) {
      for (StatementInfo s : analysis.statements()) {
        s.tablesRead().forEach(t -> all.add(t.qualified().toLowerCase(Locale.ROOT)));
        s.tablesWritten().forEach(t -> all.add(t.qualified().toLowerCase(Locale.ROOT)));
      }
    }
    return all;
  }

  static Set<RiskFlag> riskFlags(Analysis analysis) {
    return analysis == null ? Set.of() : analysis.riskFlags();
  }

  private static Map<String, Object> principal(Principal p) {
    if (p == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", p.issuer());
    m.put("subject", p.subject());
    m.put("kind", p.kind().name());
    m.put("groups", List.copyOf(new TreeSet<>(p.groups())));
    m.put("clientId", p.clientId());
    return m;
  }

  private static Map<String, Object> identity(String issuer, String subject) {
    if (subject == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", issuer);
    m.put("subject", subject);
    return m;
  }

  private static void context(Map<String, Object> b, RequestContext c) {
    b.put("channel", c == null || c.channel() == null ? null : c.channel().name());
    b.put("database", c == null ? null : c.database());
    b.put("clientApplication", c == null ? null : c.clientApplication());
    b.put("clientAddress", c == null ? null : c.clientAddress());
  }

  private static List<String> names(List<StatementInfo> statements, boolean read) {
    Set<String> out = new TreeSet<>();
    for (StatementInfo s : statements) {
      for (TableRef t : read ? s.tablesRead() : s.tablesWritten()) {
        out.add(t.qualified().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(out);
  }

  private static List<String> distinct(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }
}
