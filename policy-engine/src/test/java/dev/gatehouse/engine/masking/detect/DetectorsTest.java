package dev.gatehouse.engine.masking.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each content detector: what it finds, what it leaves alone, and the edges. */
class DetectorsTest {

  private static final Detectors ALL = Detectors.of(EnumSet.allOf(DetectorType.class));

  static List<Hit> scan(Detectors d, String text) {
    return d.scan(
        text,
        TextShape.of(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            0,
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
  }

  static List<DetectorType> types(String text) {
    return scan(ALL, text).stream().map(Hit::type).toList();
  }

  static String redacted(Set<DetectorType> on, String text) {
    Detectors d = Detectors.of(on);
    return Detectors.redact(text, scan(d, text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "card: 5555555555554444.",
        "amex 3782 822463 10005",
        "378282246310005",
        "6011000990139424"
      })
  void findsCardNumbers(String text) {
    assertThat(types(text)).contains(DetectorType.CARD_NUMBER);
    assertThat(redacted(Set.of(DetectorType.CARD_NUMBER), text)).doesNotContainPattern("\\d{4}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111111111111112",
        "411111111111",
        "2024-01-01 2024-02-01",
        "order 1234567890",
        "",
        "no digits here"
      })
  void leavesNonCardsAlone(String text) {
    assertThat(types(text)).doesNotContain(DetectorType.CARD_NUMBER);
  }

  @Test
  void cardsInsideLongerDigitRunsAreFound() {
    String twoCards = "41111111111111115555555555554444";
    assertThat(types(twoCards)).contains(DetectorType.CARD_NUMBER);
    assertThat(CardNumberDetector.luhn("79927398713", 0, 11)).isTrue();
    assertThat(CardNumberDetector.luhn("79927398710", 0, 11)).isFalse();
  }

  @Test
  void emailAddresses() {
    assertThat(redacted(Set.of(DetectorType.EMAIL), "write to alice@example.com today."))
        .isEqualTo("write to **** today.");
    assertThat(types("a.b+tag@sub.example.co.uk")).containsExactly(DetectorType.EMAIL);
    assertThat(types("user@localhost")).doesNotContain(DetectorType.EMAIL);
    assertThat(types("@example.com")).doesNotContain(DetectorType.EMAIL);
    assertThat(types("alice@")).doesNotContain(DetectorType.EMAIL);
    assertThat(types("price @ 5.00")).doesNotContain(DetectorType.EMAIL);
    assertThat(redacted(Set.of(DetectorType.EMAIL), "x@a.io, y@b.io")).isEqualTo("****, ****");
  }

  @Test
  void usSocialSecurityNumbers() {
    assertThat(types("ssn 219-09-9999")).contains(DetectorType.US_SSN);
    assertThat(types("078 05 1120")).contains(DetectorType.US_SSN);
    assertThat(types("000-12-3456")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("666-12-3456")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("912-12-3456")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("123-00-3456")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("123-45-0000")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("2024-01-01")).doesNotContain(DetectorType.US_SSN);
    assertThat(types("123-45-6789-1")).doesNotContain(DetectorType.US_SSN);
  }

  @Test
  void ibansNeedValidCheckDigits() {
    assertThat(types("GB82 WEST 1234 5698 7654 32")).contains(DetectorType.IBAN);
    assertThat(types("DE89370400440532013000")).contains(DetectorType.IBAN);
    assertThat(types("DE89370400440532013001")).doesNotContain(DetectorType.IBAN);
    assertThat(types("AB12")).doesNotContain(DetectorType.IBAN);
  }

  @Test
  void phoneNumbersWrittenAsSuch() {
    assertThat(types("call +1-202-555-0143")).contains(DetectorType.PHONE);
    assertThat(types("(202) 555-0143")).contains(DetectorType.PHONE);
    assertThat(types("+44 20 7946 0958")).contains(DetectorType.PHONE);
    assertThat(types("2024-01-01 10:00:00")).doesNotContain(DetectorType.PHONE);
    assertThat(types("12025550143")).doesNotContain(DetectorType.PHONE);
    assertThat(types("v1.2.3")).doesNotContain(DetectorType.PHONE);
  }

  @Test
  void secretsInCommonFormats() {
    assertThat(types("key AKIAIOSFODNN7EXAMPLE here")).containsExactly(DetectorType.SECRET);
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assertThat(types("Bearer " + jwt)).contains(DetectorType.SECRET);
    assertThat(redacted(Set.of(DetectorType.SECRET), "t=" + jwt)).isEqualTo("t=****");
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----";
    assertThat(redacted(Set.of(DetectorType.SECRET), "k:" + pem + ":end")).isEqualTo("k:****:end");
    assertThat(redacted(Set.of(DetectorType.SECRET), "-----BEGIN PRIVATE KEY-----\ncut off"))
        .doesNotContain("cut off");
    assertThat(types("AKIA too short")).isEmpty();
  }

  @Test
  void aRedactedValueDoesNotKeepItsLength() {
    // Red-team round 31: one star per character gave away the length of the local part of an
    // address, which the column mask `a****@example.com` hides.
    Set<DetectorType> email = Set.of(DetectorType.EMAIL);
    assertThat(redacted(email, "to al@example.com"))
        .isEqualTo(redacted(email, "to alexandra.archer@example.com"))
        .isEqualTo("to ****");
    // Overlapping and touching hits become one redaction, and the text around them stays.
    Detectors all = Detectors.of(EnumSet.allOf(DetectorType.class));
    String text = "card 4111 1111 1111 1111 +1-202-555-0143 end";
    List<Hit> hits = scan(all, text);
    assertThat(hits).hasSizeGreaterThan(1);
    assertThat(Detectors.redact(text, hits)).startsWith("card ****").endsWith(" end");
    assertThat(Detectors.redact(text, hits)).doesNotContain("1111", "0143");
    assertThat(
            Detectors.redact(
                "ab",
                List.of(new Hit(DetectorType.EMAIL, 0, 1), new Hit(DetectorType.PHONE, 0, 2))))
        .isEqualTo("****");
  }

  @Test
  void detectorsCanBeTurnedOffOneByOne() {
    String text = "alice@example.com 4111111111111111 219-09-9999";
    assertThat(redacted(Set.of(DetectorType.EMAIL), text))
        .isEqualTo("**** 4111111111111111 219-09-9999");
    assertThat(redacted(Set.of(DetectorType.US_SSN), text))
        .isEqualTo("alice@example.com 4111111111111111 ****");
    assertThat(Detectors.of(Set.of()).isEmpty()).isTrue();
    assertThat(scan(Detectors.NONE, text)).isEmpty();
  }

  @Test
  void multibyteTextKeepsItsCharacters() {
    String text = "Zoë — zoë@exämple.com, ✉ bob@example.org 名前";
    String out = redacted(Set.of(DetectorType.EMAIL), text);
    assertThat(out).startsWith("Zoë — ").contains("✉ ****").endsWith(" 名前");
  }

  @Test
  void veryLongTextsAreScannedWhole() {
    String filler = "lorem ipsum ".repeat(100_000);
    String text = filler + "alice@example.com" + filler + "4111111111111111";
    String out = redacted(Set.of(DetectorType.EMAIL, DetectorType.CARD_NUMBER), text);
    assertThat(out)
        .doesNotContain("alice@example.com", "4111111111111111")
        .startsWith(filler + "****")
        .endsWith(" ****");
  }
}
