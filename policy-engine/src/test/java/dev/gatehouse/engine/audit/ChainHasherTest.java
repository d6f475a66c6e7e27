package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainHasherTest {

  final AuditKey key = AuditKey.of(new byte[32]);
  final AuditRecord record =
      new AuditRecord(
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          RecordKind.STATEMENT,
          Instant.parse("2026-01-01T00:00:00.123456789Z"),
          "{\"sql\":\"SELECT 1\"}");

  @Test
  void hashCoversEveryField() {
    String h = ChainHasher.recordHash(key, "gw", 1, ChainHasher.GENESIS, record);
    assertThat(h)
        .hasSize(64)
        .isEqualTo(ChainHasher.recordHash(key, "gw", 1, ChainHasher.GENESIS, record));
    assertThat(ChainHasher.recordHash(key, "gw2", 1, ChainHasher.GENESIS, record)).isNotEqualTo(h);
    assertThat(ChainHasher.recordHash(key, "gw", 2, ChainHasher.GENESIS, record)).isNotEqualTo(h);
    assertThat(ChainHasher.recordHash(key, "gw", 1, h, record)).isNotEqualTo(h);
    assertThat(
            ChainHasher.recordHash(
                key,
                "gw",
                1,
                ChainHasher.GENESIS,
                new AuditRecord(record.id(), RecordKind.OUTCOME, record.at(), record.body())))
        .isNotEqualTo(h);
    assertThat(
            ChainHasher.recordHash(
                key,
                "gw",
                1,
                ChainHasher.GENESIS,
                new AuditRecord(record.id(), record.kind(), record.at(), "{\"sql\":\"SELECT 2\"}")))
        .isNotEqualTo(h);
    // Note: HMAC pads keys with zeros, so a different key must differ in content, not length.
    byte[] other = new byte[32];
    other[31] = 1;
    assertThat(ChainHasher.recordHash(AuditKey.of(other), "gw", 1, ChainHasher.GENESIS, record))
        .isNotEqualTo(h);
  }

  @Test
  void theHashIsTheDocumentedHmacOfLengthPrefixedFields() throws Exception {
    // Pins the layout (ADR 0004, decision 2) so records chained by earlier versions still verify.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
    for (String f :
        new String[] {
          "record",
          "gw",
          "1",
          ChainHasher.GENESIS,
          record.id().toString(),
          "STATEMENT",
          Long.toString(ChainHasher.micros(record.at())),
          record.body() + "é"
        }) {
      byte[] b = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      mac.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      mac.update(b);
    }
    String expected = java.util.HexFormat.of().formatHex(mac.doFinal());
    AuditRecord accented =
        new AuditRecord(record.id(), record.kind(), record.at(), record.body() + "é");
    assertThat(ChainHasher.recordHash(key, "gw", 1, ChainHasher.GENESIS, accented))
        .isEqualTo(expected);
    assertThat(
            ChainHasher.recordHash(
                key,
                "gw",
                1,
                ChainHasher.GENESIS,
                record.id().toString(),
                "STATEMENT",
                ChainHasher.micros(record.at()),
                accented.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(expected);
  }

  @Test
  void anInstanceIdOutsideAsciiAndTheHeadMacKeepTheirLayout() throws Exception {
    // The fields go to the MAC from one buffer now: the bytes must stay those of each field's
    // UTF-8 with its length prefix, whatever characters it holds.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
    for (String f : new String[] {"head", "gw-ü✓", "42", ChainHasher.GENESIS}) {
      byte[] b = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      mac.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      mac.update(b);
    }
    assertThat(ChainHasher.headMac(key, "gw-ü✓", 42, ChainHasher.GENESIS))
        .isEqualTo(java.util.HexFormat.of().formatHex(mac.doFinal()));
    mac.reset();
    String id = record.id().toString();
    for (String f :
        new String[] {"record", "gw-ü✓", "7", ChainHasher.GENESIS, id, "STATEMENT", "5", "{}"}) {
      byte[] b = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      mac.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      mac.update(b);
    }
    assertThat(
            ChainHasher.recordHash(
                key, "gw-ü✓", 7, ChainHasher.GENESIS, id, "STATEMENT", 5, "{}".getBytes()))
        .isEqualTo(java.util.HexFormat.of().formatHex(mac.doFinal()));
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    // "gw" + "1" and "gw1" + "" must not collide: fields are length-prefixed.
    String a = ChainHasher.recordHash(key, "gw", 1, "x", record);
    String b = ChainHasher.recordHash(key, "gwx", 1, "", record);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void recordTimeIsKeptToTheMicrosecondPostgresStores() {
    assertThat(record.at()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
  }

  @Test
  void keyComesFromBase64AndMustBeLongEnough() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    String b64 = Base64.getEncoder().encodeToString(raw);
    assertThat(AuditKey.fromBase64(b64 + "\n")).isEqualTo(AuditKey.of(raw));
    assertThat(AuditKey.of(raw).toString()).doesNotContain(b64);
    assertThatThrownBy(() -> AuditKey.of(new byte[16]))
        .hasMessage("audit key must hold at least 32 bytes, got 16");
    assertThatThrownBy(() -> AuditKey.fromBase64("not base64!"))
        .hasMessageStartingWith("audit key is not valid base64");
    assertThat(AuditKey.of(raw).derive("params")).isNotEqualTo(AuditKey.of(raw));
  }
}
