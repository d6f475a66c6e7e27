package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each strategy on each kind of value, in text and binary format. */
class RuleMasksTest {

  private static final Pseudonymizer KEY =
      new Pseudonymizer("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  static ColumnPlan plan(int typeOid, int format, MaskStrategy strategy, int keepLast) {
    ColumnType type = new ColumnType(ValueKind.of(typeOid, oid -> null), typeOid, format);
    return new ColumnPlan(
        "c",
        ColumnPlan.Action.RULE,
        type,
        strategy,
        keepLast,
        Placeholders.of(type.kind(), typeOid, format));
  }

  static String text(int typeOid, int format, MaskStrategy s, int keep, String value) {
    byte[] out = RuleMasks.apply(plan(typeOid, format, s, keep), utf8(value), KEY);
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(ints = {ResultColumn.TEXT, ResultColumn.BINARY})
  void textStrategiesAreTheSameInBothFormats(int format) {
    assertThat(text(25, format, MaskStrategy.REDACT, 0, "219-09-9999")).isEqualTo("****");
    assertThat(text(1043, format, MaskStrategy.KEEP_LAST, 4, "4111111111111111"))
        .isEqualTo("************1111");
    assertThat(text(25, format, MaskStrategy.EMAIL, 0, "alice@example.com"))
        .isEqualTo("a****@example.com");
    assertThat(text(25, format, MaskStrategy.NULL, 0, "x")).isNull();
    assertThat(text(25, format, MaskStrategy.PSEUDONYM, 0, "alice@example.com"))
        .matches("pn_[0-9a-f]{24}")
        .isEqualTo(text(25, 1 - format, MaskStrategy.PSEUDONYM, 0, "alice@example.com"));
  }

  @Test
  void maskedValuesFitDeclaredLengths() {
    ColumnType varchar5 =
        ColumnType.of(ValueKind.TEXT, new ResultColumn("c", 0, 0, 1043, -1, 9, 0));
    ColumnPlan email =
        new ColumnPlan("c", ColumnPlan.Action.RULE, varchar5, MaskStrategy.EMAIL, 0, null);
    assertThat(new String(RuleMasks.apply(email, utf8("a@b.c"), KEY), StandardCharsets.UTF_8))
        .isEqualTo("****");
    ColumnType char2 = ColumnType.of(ValueKind.TEXT, new ResultColumn("c", 0, 0, 1042, -1, 6, 0));
    ColumnPlan redact =
        new ColumnPlan("c", ColumnPlan.Action.RULE, char2, MaskStrategy.PSEUDONYM, 0, null);
    assertThat(new String(RuleMasks.apply(redact, utf8("ab"), KEY), StandardCharsets.UTF_8))
        .isEqualTo("**");
    ColumnPlan keep =
        new ColumnPlan("c", ColumnPlan.Action.RULE, varchar5, MaskStrategy.KEEP_LAST, 2, null);
    assertThat(new String(RuleMasks.apply(keep, utf8("12345"), KEY), StandardCharsets.UTF_8))
        .isEqualTo("***45");
  }

  @Test
  void keepLastNeverShowsMoreThanHalf() {
    assertThat(StringMasks.keepLast("12345", 4)).isEqualTo("***45");
    assertThat(StringMasks.keepLast("1", 4)).isEqualTo("*");
    assertThat(StringMasks.keepLast("", 4)).isEmpty();
    assertThat(StringMasks.keepLast("abcdefgh", 0)).isEqualTo("********");
  }

  @Test
  void multibyteValuesAreCountedInCharacters() {
    assertThat(StringMasks.keepLast("名前カード番号1234", 4)).isEqualTo("*******1234");
    assertThat(StringMasks.keepLast("😀😀😀😀😀😀1234", 4)).isEqualTo("******1234");
    assertThat(StringMasks.email("Ünal@example.de")).isEqualTo("Ü****@example.de");
    assertThat(StringMasks.email("😀x@example.de")).isEqualTo("😀****@example.de");
  }

  @Test
  void emailOfNonAddressesIsFullRedaction() {
    assertThat(StringMasks.email("")).isEqualTo("****");
    assertThat(StringMasks.email("no address")).isEqualTo("****");
    assertThat(StringMasks.email("@example.com")).isEqualTo("****");
    assertThat(StringMasks.email("alice@")).isEqualTo("****");
    assertThat(StringMasks.email("a@b@example.com")).isEqualTo("a****@example.com");
  }

  @Test
  void emptyAndVeryLongValues() {
    assertThat(text(25, 0, MaskStrategy.REDACT, 0, "")).isEqualTo("****");
    String longValue = "x".repeat(5_000_000) + "1234";
    assertThat(text(25, 0, MaskStrategy.KEEP_LAST, 4, longValue))
        .hasSize(longValue.length())
        .endsWith("*1234");
    assertThat(text(25, 0, MaskStrategy.PSEUDONYM, 0, longValue)).matches("pn_[0-9a-f]{24}");
  }

  @Test
  void sqlNullStaysNull() {
    PlannedMask mask =
        new PlannedMask(
            java.util.List.of(plan(25, 0, MaskStrategy.REDACT, 0)),
            dev.gatehouse.engine.masking.detect.Detectors.NONE,
            KEY,
            java.util.List.of(),
            true);
    assertThat(mask.apply(0, null)).isNull();
  }

  @Test
  void pseudonymsAreStableAndKeyed() {
    String a = text(25, 0, MaskStrategy.PSEUDONYM, 0, "alice@example.com");
    assertThat(text(25, 0, MaskStrategy.PSEUDONYM, 0, "alice@example.com")).isEqualTo(a);
    assertThat(text(25, 0, MaskStrategy.PSEUDONYM, 0, "bob@example.org")).isNotEqualTo(a);
    Pseudonymizer other =
        new Pseudonymizer("another-key-of-32-bytes-length!!".getBytes(StandardCharsets.UTF_8));
    byte[] withOther =
        RuleMasks.apply(plan(25, 0, MaskStrategy.PSEUDONYM, 0), utf8("alice@example.com"), other);
    assertThat(new String(withOther, StandardCharsets.UTF_8)).isNotEqualTo(a);
  }

  @Test
  void integerPseudonymsAreIntegersOfTheColumnWidth() {
    byte[] bin4 = ByteBuffer.allocate(4).putInt(42).array();
    byte[] out4 = RuleMasks.apply(plan(23, 1, MaskStrategy.PSEUDONYM, 0), bin4, KEY);
    assertThat(out4).hasSize(4);
    String fromText = text(23, 0, MaskStrategy.PSEUDONYM, 0, "42");
    assertThat(Integer.parseInt(fromText))
        .isEqualTo(ByteBuffer.wrap(out4).getInt())
        .isNotNegative();
    byte[] out2 = RuleMasks.apply(plan(21, 1, MaskStrategy.PSEUDONYM, 0), new byte[] {0, 7}, KEY);
    assertThat(out2).hasSize(2);
    assertThat(Long.parseLong(text(20, 0, MaskStrategy.PSEUDONYM, 0, "4111111111111111")))
        .isNotNegative();
    assertThat(text(20, 0, MaskStrategy.REDACT, 0, "7")).isNull();
  }

  @Test
  void uuidPseudonymsAreUuids() {
    String u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    String out = text(2950, 0, MaskStrategy.PSEUDONYM, 0, u);
    assertThat(UUID.fromString(out).version()).isEqualTo(8);
    UUID in = UUID.fromString(u);
    byte[] bin =
        ByteBuffer.allocate(16)
            .putLong(in.getMostSignificantBits())
            .putLong(in.getLeastSignificantBits())
            .array();
    byte[] binOut = RuleMasks.apply(plan(2950, 1, MaskStrategy.PSEUDONYM, 0), bin, KEY);
    ByteBuffer b = ByteBuffer.wrap(binOut);
    assertThat(new UUID(b.getLong(), b.getLong()).toString()).isEqualTo(out);
    assertThat(text(2950, 0, MaskStrategy.REDACT, 0, u)).isNull();
  }

  /** Types where no masked string is possible get NULL, whatever the strategy. */
  @ParameterizedTest
  @ValueSource(ints = {1700, 16, 1082, 1114, 1184, 701, 700, 1186, 18, 1007, 1016})
  void typesWithoutAStringFormGetNull(int typeOid) {
    for (MaskStrategy s : MaskStrategy.values()) {
      if (s != MaskStrategy.PSEUDONYM || typeOid != 1700) {
        assertThat(RuleMasks.apply(plan(typeOid, 0, s, 4), utf8("1"), KEY)).isNull();
        assertThat(RuleMasks.apply(plan(typeOid, 1, s, 4), new byte[] {0, 0, 0, 1}, KEY)).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = MaskStrategy.class,
      names = {"REDACT", "KEEP_LAST", "EMAIL"})
  void structuredTypesGetTheirTypeValidRedaction(MaskStrategy s) {
    assertThat(text(114, 0, s, 4, "{\"a\":\"alice@example.com\"}")).isEqualTo("\"****\"");
    assertThat(text(114, 1, s, 4, "[1]")).isEqualTo("\"****\"");
    assertThat(text(3802, 0, s, 4, "{}")).isEqualTo("\"****\"");
    byte[] jsonb = RuleMasks.apply(plan(3802, 1, s, 4), new byte[] {1, '{', '}'}, KEY);
    assertThat(jsonb[0]).isEqualTo((byte) 1);
    assertThat(new String(jsonb, 1, jsonb.length - 1, StandardCharsets.UTF_8))
        .isEqualTo("\"****\"");
    assertThat(text(1009, 0, s, 4, "{a,b}")).isEqualTo("{****}");
    assertThat(text(2249, 0, s, 4, "(1,x)")).isEqualTo("(****)");
    assertThat(text(142, 0, s, 4, "<a>x</a>")).isEqualTo("****");
    assertThat(text(17, 0, s, 4, "\\x41")).isEqualTo("\\x2a2a2a2a");
    assertThat(text(17, 1, s, 4, "A")).isEqualTo("****");
  }

  @Test
  void binaryArrayAndRecordRedactionsFollowTheSendFormats() {
    byte[] array = Placeholders.of(ValueKind.STRING_ARRAY, 1015, 1);
    ByteBuffer a = ByteBuffer.wrap(array);
    assertThat(new int[] {a.getInt(), a.getInt(), a.getInt(), a.getInt(), a.getInt(), a.getInt()})
        .containsExactly(1, 0, 1043, 1, 1, 4);
    assertThat(new String(array, 24, 4, StandardCharsets.US_ASCII)).isEqualTo("****");
    byte[] record = Placeholders.of(ValueKind.RECORD, 2249, 1);
    ByteBuffer r = ByteBuffer.wrap(record);
    assertThat(new int[] {r.getInt(), r.getInt(), r.getInt()}).containsExactly(1, 25, 4);
    assertThat(Placeholders.of(ValueKind.COMPOSITE, 16384, 1)).isNull();
    assertThat(Placeholders.of(ValueKind.OTHER_ARRAY, 1007, 0)).isNull();
  }

  @Test
  void byteaPseudonymsAreValidByteaText() {
    String out = text(17, 0, MaskStrategy.PSEUDONYM, 0, "\\x414243");
    assertThat(out).startsWith("\\x");
    assertThat(new String(HexFormat.of().parseHex(out.substring(2)), StandardCharsets.UTF_8))
        .matches("pn_[0-9a-f]{24}");
    assertThat(ValueCodec.byteaFromText(utf8("a\\\\b\\101"))).isEqualTo(utf8("a\\bA"));
  }
}
