package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY data in text, CSV and binary format, masked row by row. */
class CopyRowMaskerTest {

  private final CatalogMaskPlanner planner = new CatalogMaskPlanner(new FakeCatalog(), null);

  /** Columns id, full_name, ssn, email of app.customers in the given format. */
  private MaskPlan plan(int format) {
    List<ResultColumn> columns =
        List.of(
            new ResultColumn("id", FakeCatalog.CUSTOMERS, 1, 20, 8, -1, format),
            new ResultColumn("full_name", FakeCatalog.CUSTOMERS, 2, 25, -1, -1, format),
            new ResultColumn("ssn", FakeCatalog.CUSTOMERS, 4, 25, -1, -1, format),
            new ResultColumn("email", FakeCatalog.CUSTOMERS, 3, 25, -1, -1, format));
    return planner.plan(
        ReferenceMasking.UNCLEARED,
        ReferenceMasking.analyze("SELECT id, full_name, ssn, email FROM app.customers"),
        columns,
        "shop");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String masked(CopyRowMasker m, String row) {
    return new String(m.mask(utf8(row)), StandardCharsets.UTF_8);
  }

  @Test
  void textRows() {
    CopyRowMasker m = new CopyRowMasker(plan(0), 4, CopyFormat.text());
    assertThat(masked(m, "1\tAlice Archer\t219-09-9999\talice@example.com\n"))
        .isEqualTo("1\tAlice Archer\t****\ta****@example.com\n");
    assertThat(masked(m, "2\t\\N\t\\N\t\\N\n")).isEqualTo("2\t\\N\t\\N\t\\N\n");
    // escaped tab and newline inside a value are decoded, masked, and the result re-escaped
    assertThat(masked(m, "3\tA\\tB\\nC\t1\\t2\tx\\\\y@example.com\n"))
        .isEqualTo("3\tA\\tB\\nC\t****\tx****@example.com\n");
    // a detector hit in an unmasked column re-escapes what it keeps
    assertThat(masked(m, "4\tme: 4111111111111111\\tok\t\\N\t\\N\n"))
        .isEqualTo("4\tme: ****\\tok\t\\N\t\\N\n");
  }

  @Test
  void unchangedRowsAreTheSameArray() {
    CopyRowMasker m = new CopyRowMasker(plan(0), 4, CopyFormat.text());
    byte[] row = utf8("5\tBob\t\\N\t\\N\n");
    assertThat(m.mask(row)).isSameAs(row);
    CopyRowMasker none = new CopyRowMasker(MaskPlan.NONE, 4, CopyFormat.text());
    byte[] any = utf8("whatever");
    assertThat(none.mask(any)).isSameAs(any);
  }

  @Test
  void csvRows() {
    CopyRowMasker m = new CopyRowMasker(plan(0), 4, CopyFormat.csv());
    assertThat(masked(m, "1,\"Archer, Alice\",219-09-9999,alice@example.com\n"))
        .isEqualTo("1,\"Archer, Alice\",\"****\",\"a****@example.com\"\n");
    assertThat(masked(m, "2,,,\n")).isEqualTo("2,,,\n");
    assertThat(masked(m, "3,\"say \"\"hi\"\"\",\"\",\"a\"\"b@example.com\"\n"))
        .isEqualTo("3,\"say \"\"hi\"\"\",\"****\",\"a****@example.com\"\n");
    assertThat(masked(m, "4,\"multi\nline\",1,x@example.com\r\n"))
        .isEqualTo("4,\"multi\nline\",\"****\",\"x****@example.com\"\r\n");
  }

  @Test
  void csvHeaderPassesUnchanged() {
    CopyFormat header = new CopyFormat(CopyFormat.Kind.CSV, ',', "", '"', '"', true);
    CopyRowMasker m = new CopyRowMasker(plan(0), 4, header);
    assertThat(masked(m, "id,full_name,ssn,email\n")).isEqualTo("id,full_name,ssn,email\n");
    assertThat(masked(m, "1,A,219-09-9999,\n")).isEqualTo("1,A,\"****\",\n");
  }

  @Test
  void binaryRowsWithHeaderAndTrailer() {
    CopyRowMasker m = new CopyRowMasker(plan(1), 4, CopyFormat.binary());
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.writeBytes(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
    first.writeBytes(ByteBuffer.allocate(8).putInt(0).putInt(0).array());
    first.writeBytes(
        tuple(ByteBuffer.allocate(8).putLong(1).array(), utf8("Alice"), utf8("219-09-9999"), null));
    byte[] out = m.mask(first.toByteArray());
    ByteBuffer b = ByteBuffer.wrap(out, 19, out.length - 19);
    assertThat(b.getShort()).isEqualTo((short) 4);
    assertThat(b.getInt()).isEqualTo(8);
    assertThat(b.getLong()).isEqualTo(1);
    assertThat(readField(b)).isEqualTo("Alice");
    assertThat(readField(b)).isEqualTo("****");
    assertThat(b.getInt()).isEqualTo(-1);
    byte[] trailer = {(byte) 0xff, (byte) 0xff};
    assertThat(m.mask(trailer)).isSameAs(trailer);
    assertThatThrownBy(() -> m.mask(tuple(null, null, null, null)))
        .isInstanceOf(CopyMaskingException.class)
        .hasMessageContaining("after its trailer");
  }

  @Test
  void malformedDataIsRefused() {
    CopyRowMasker text = new CopyRowMasker(plan(0), 4, CopyFormat.text());
    assertThatThrownBy(() -> text.mask(utf8("1\t2\n")))
        .isInstanceOf(CopyMaskingException.class)
        .hasMessage("copy row has 2 columns where 4 were planned");
    assertThatThrownBy(() -> text.mask(utf8("1\t2\t3\t4\\")))
        .isInstanceOf(CopyMaskingException.class);
    CopyRowMasker csv = new CopyRowMasker(plan(0), 4, CopyFormat.csv());
    assertThatThrownBy(() -> csv.mask(utf8("1,\"open,3,4\n")))
        .isInstanceOf(CopyMaskingException.class);
    CopyRowMasker binary = new CopyRowMasker(plan(1), 4, CopyFormat.binary());
    assertThatThrownBy(() -> binary.mask(utf8("not a copy signature at all")))
        .isInstanceOf(CopyMaskingException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void copyCommandsGiveTheirQueryAndFormat() {
    assertThat(CopyCommand.parse("COPY app.customers TO STDOUT"))
        .isEqualTo(new CopyCommand("TABLE app.customers", CopyFormat.text()));
    assertThat(CopyCommand.parse("copy (SELECT * FROM app.customers) to stdout with csv"))
        .isEqualTo(new CopyCommand("SELECT * FROM app.customers", CopyFormat.csv()));
    CopyCommand cols =
        CopyCommand.parse(
            "COPY app.payments (id, card_number) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ';')");
    assertThat(cols.query()).isEqualTo("SELECT id, card_number FROM app.payments");
    assertThat(cols.format().delimiter()).isEqualTo(';');
    assertThat(cols.format().header()).isTrue();
    assertThat(CopyCommand.parse("COPY t TO STDOUT (FORMAT binary)").format().kind())
        .isEqualTo(CopyFormat.Kind.BINARY);
    assertThat(CopyCommand.parse("COPY (SELECT ')' AS p) TO STDOUT").query())
        .isEqualTo("SELECT ')' AS p");
    assertThat(CopyCommand.parse("COPY t TO STDOUT WITH NULL AS 'nil' CSV HEADER").format())
        .isEqualTo(new CopyFormat(CopyFormat.Kind.CSV, ',', "nil", '"', '"', true));
    assertThatThrownBy(() -> CopyCommand.parse("COPY app.customers TO '/tmp/x'"))
        .hasMessage("only copy ... to stdout can be masked: `COPY app.customers TO '/tmp/x'`");
    assertThatThrownBy(() -> CopyCommand.parse("SELECT 1"))
        .hasMessageContaining("not a copy statement");
    assertThatThrownBy(() -> CopyCommand.parse("COPY t TO STDOUT (FORMAT text, OIDS true)"))
        .hasMessageContaining("`oids` cannot be masked");
  }

  @Test
  void everyCopyOptionIsReadAsPostgresReadsIt() {
    assertThat(CopyCommand.parse("COPY t TO STDOUT (DELIMITER E'\\t', NULL '')").format())
        .isEqualTo(new CopyFormat(CopyFormat.Kind.TEXT, '\t', "", '"', '"', false));
    assertThat(
            CopyCommand.parse(
                    "COPY t (a, \"B c\") TO STDOUT WITH (FORMAT csv, QUOTE '''', ESCAPE '\\',"
                        + " FORCE_QUOTE (a, \"B c\"), HEADER on, ENCODING 'UTF-8');")
                .format())
        .isEqualTo(new CopyFormat(CopyFormat.Kind.CSV, ',', "", '\'', '\\', true));
    assertThat(CopyCommand.parse("COPY t (a, \"B c\") TO STDOUT").query())
        .isEqualTo("SELECT a, \"B c\" FROM t");
    assertThat(CopyCommand.parse("COPY t TO STDOUT CSV HEADER FORCE QUOTE a, b DELIMITER '|'"))
        .isEqualTo(
            new CopyCommand(
                "TABLE t", new CopyFormat(CopyFormat.Kind.CSV, '|', "", '"', '"', true)));
    assertThat(CopyCommand.parse("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE *)").format().kind())
        .isEqualTo(CopyFormat.Kind.CSV);
    assertThat(CopyCommand.parse("COPY (SELECT $$)$$ AS p) TO STDOUT (HEADER false)").query())
        .isEqualTo("SELECT $$)$$ AS p");
    assertThatThrownBy(() -> CopyCommand.parse("COPY t TO STDOUT (ENCODING 'LATIN1')"))
        .hasMessageContaining("utf8 only, not `LATIN1`");
    assertThatThrownBy(() -> CopyCommand.parse("COPY t TO STDOUT (DELIMITER '||')"))
        .hasMessageContaining("single character");
  }

  private static byte[] tuple(byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(2).putShort((short) fields.length).array());
    for (byte[] f : fields) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(f == null ? -1 : f.length).array());
      if (f != null) {
        out.writeBytes(f);
      }
    }
    return out.toByteArray();
  }

  private static String readField(ByteBuffer b) {
    byte[] v = new byte[b.getInt()];
    b.get(v);
    return new String(v, StandardCharsets.UTF_8);
  }
}
