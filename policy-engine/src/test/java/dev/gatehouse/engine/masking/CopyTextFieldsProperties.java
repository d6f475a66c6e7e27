package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever a masked value holds, text and CSV COPY encode it so that it reads back unchanged. */
class CopyTextFieldsProperties {

  @Property(tries = 500)
  void textRoundTrip(@ForAll @Size(min = 1, max = 4) List<String> values) {
    assertRoundTrip(CopyFormat.text(), values);
  }

  @Property(tries = 500)
  void csvRoundTrip(@ForAll @Size(min = 1, max = 4) List<String> values) {
    assertRoundTrip(CopyFormat.csv(), values);
  }

  @net.jqwik.api.Example
  void awkwardCharacters() {
    List<String> values = List.of("\t\n\r\\", "\\N", "", "a,\"b\"\u000b\b\f😀");
    assertRoundTrip(CopyFormat.text(), values);
    assertRoundTrip(CopyFormat.csv(), values);
  }

  private static void assertRoundTrip(CopyFormat format, List<String> values) {
    CopyTextFields encoder = CopyTextFields.text(new byte[0], 0, 0, format);
    ByteArrayOutputStream row = new ByteArrayOutputStream();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        row.write(format.delimiter());
      }
      encoder.writeEncoded(values.get(i).getBytes(StandardCharsets.UTF_8), row);
    }
    byte[] data = row.toByteArray();
    CopyTextFields parsed =
        format.kind() == CopyFormat.Kind.TEXT
            ? CopyTextFields.text(data, 0, data.length, format)
            : CopyTextFields.csv(data, 0, data.length, format);
    assertThat(parsed.size()).isEqualTo(values.size());
    for (int i = 0; i < values.size(); i++) {
      assertThat(new String(parsed.value(i), StandardCharsets.UTF_8)).isEqualTo(values.get(i));
    }
  }
}
