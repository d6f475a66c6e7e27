package dev.gatehouse.engine.bench;

import dev.gatehouse.engine.masking.CatalogMaskPlanner;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.masking.catalog.TypeInfo;
import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.TableRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Masking throughput in cells per second: a 10-column text row of which 3 columns are masked by
 * rules and the other 7 are inspected by the detectors (the reference pair, or all six).
 *
 * <p>Run: {@code ./mvnw -q test-compile -pl policy-engine -am}, then {@code java -cp <test
 * classpath> dev.gatehouse.engine.bench.MaskingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MaskingBenchmark {

  private static final int ROWS = 1000;
  private static final int COLUMNS = 10;
  private static final int CUSTOMERS = 16401;

  @Param({"REFERENCE", "ALL"})
  public String detectors;

  private MaskPlan plan;
  private byte[][][] rows;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Set<DetectorType> on =
        detectors.equals("ALL")
            ? EnumSet.allOf(DetectorType.class)
            : EnumSet.of(DetectorType.CARD_NUMBER, DetectorType.EMAIL);
    MaskingPolicy policy =
        new MaskingPolicy(
            List.of(
                new MaskRule("customers-email", "app.customers.email", MaskStrategy.EMAIL, 0),
                new MaskRule("customers-ssn", "app.customers.ssn", MaskStrategy.REDACT, 0),
                new MaskRule("card-number", "*.card_number", MaskStrategy.KEEP_LAST, 4)),
            on,
            false);
    String sql =
        "SELECT id, full_name, email, ssn, card_number, phone, note, status, city, amount"
            + " FROM app.customers";
    Analysis analysis =
        new Analysis(
            sql,
            List.of(
                new StatementInfo(
                    sql,
                    "SELECT",
                    StatementClass.READ,
                    Set.of(),
                    Set.of(),
                    Set.of(),
                    Map.of(),
                    Set.of(),
                    LineageResolver.outputColumns(
                        CCJSqlParserUtil.parse(sql), AnalysisContext.DEFAULT))),
            sql);
    List<String> names =
        List.of(
            "id",
            "full_name",
            "email",
            "ssn",
            "card_number",
            "phone",
            "note",
            "status",
            "city",
            "amount");
    List<ResultColumn> columns = new ArrayList<>();
    for (int i = 0; i < COLUMNS; i++) {
      int type = i == 0 ? 20 : i == 9 ? 1700 : 25;
      columns.add(
          new ResultColumn(names.get(i), CUSTOMERS, i + 1, type, -1, -1, ResultColumn.TEXT));
    }
    plan =
        new CatalogMaskPlanner(new OneTable(names), null).plan(policy, analysis, columns, "shop");
    rows = new byte[ROWS][][];
    for (int r = 0; r < ROWS; r++) {
      String[] v = {
        Integer.toString(r),
        "Customer " + r,
        "user" + r + "@shop.test",
        "123-45-" + (1000 + r),
        "6011" + String.format("%012d", r),
        "+1-555-" + String.format("%07d", r),
        r % 10 == 0 ? "call me on 4111 1111 1111 1111" : "leave at the door, ring twice",
        r % 3 == 0 ? "settled" : "pending",
        "Springfield",
        (r % 500) + ".99"
      };
      rows[r] = new byte[COLUMNS][];
      for (int i = 0; i < COLUMNS; i++) {
        rows[r][i] = v[i].getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS * COLUMNS)
  public void maskCells(Blackhole bh) {
    for (byte[][] row : rows) {
      for (int i = 0; i < COLUMNS; i++) {
        bh.consume(plan.inspects(i) ? plan.apply(i, row[i]) : row[i]);
      }
    }
  }

  /** The same loop over a plan that changes nothing: the cost of the loop itself. */
  @Benchmark
  @OperationsPerInvocation(ROWS * COLUMNS)
  public void baselineNoMasking(Blackhole bh) {
    for (byte[][] row : rows) {
      for (int i = 0; i < COLUMNS; i++) {
        bh.consume(MaskPlan.NONE.inspects(i) ? MaskPlan.NONE.apply(i, row[i]) : row[i]);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(MaskingBenchmark.class.getSimpleName()).build()).run();
  }

  /** The one table of the benchmark's query. */
  private record OneTable(List<String> columns) implements Catalog {
    @Override
    public RelationInfo relation(String database, int oid) {
      return oid == CUSTOMERS
          ? new RelationInfo(CUSTOMERS, TableRef.of("app.customers"), 'r', columns, Map.of())
          : null;
    }

    @Override
    public RelationInfo relation(String database, TableRef name) {
      return name.equals(TableRef.of("app.customers")) ? relation(database, CUSTOMERS) : null;
    }

    @Override
    public List<RelationInfo> relationsNamed(String database, String name) {
      return name.equals("customers") ? List.of(relation(database, CUSTOMERS)) : List.of();
    }

    @Override
    public TypeInfo type(String database, int oid) {
      return null;
    }

    @Override
    public void invalidate(String database) {}
  }
}
