package dev.gatehouse.engine.masking;

import dev.gatehouse.testkit.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Looks for the corpus secrets in a cell, however its bytes are read. */
final class SecretScan {

  private SecretScan() {}

  /** The first secret in {@code cell} read as UTF-8, as bytes, or as bytea hex text; or null. */
  static Secrets.Secret find(byte[] cell) {
    if (cell == null) {
      return null;
    }
    Secrets.Secret s = Secrets.findIn(new String(cell, StandardCharsets.UTF_8));
    if (s == null) {
      s = Secrets.findIn(new String(cell, StandardCharsets.ISO_8859_1));
    }
    if (s == null && cell.length > 2 && cell[0] == '\\' && cell[1] == 'x') {
      try {
        byte[] raw =
            HexFormat.of()
                .parseHex(new String(cell, 2, cell.length - 2, StandardCharsets.US_ASCII));
        s = Secrets.findIn(new String(raw, StandardCharsets.ISO_8859_1));
      } catch (IllegalArgumentException notHex) {
        // not bytea text: nothing more to decode
      }
    }
    return s;
  }
}
