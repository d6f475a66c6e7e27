package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes a session writes for given client messages, not only what they decode to. */
class SessionBytesTest {

  private final SessionHarness h = new SessionHarness();

  private String written() {
    return HexFormat.of().formatHex(h.bytes());
  }

  @Test
  void anUnknownStatementIsOneErrorResponseThenReadyForQueryIdle() {
    h.read(new Bind("", "nope", List.of(), List.of(), List.of()), new Execute("", 0), new Sync());
    assertThat(written())
        .isEqualTo(
            // ErrorResponse, length 68: S "ERROR", V "ERROR", C "26000",
            // M "prepared statement `nope` does not exist", terminator
            "45"
                + "00000044"
                + "53"
                + "4552524f5200"
                + "56"
                + "4552524f5200"
                + "43"
                + "323630303000"
                + "4d"
                + "70726570617265642073746174656d656e7420606e6f70656020646f6573206e6f74206578697374"
                + "00"
                + "00"
                // ReadyForQuery, length 5, idle
                + "5a"
                + "00000005"
                + "49");
  }

  @Test
  void anUnknownMessageTypeIsAFatalErrorResponse() {
    h.readRaw('x');
    assertThat(written())
        .isEqualTo(
            // ErrorResponse, length 69: S "FATAL", V "FATAL", C "08P01",
            // M "unexpected message type `x` after startup", terminator; nothing after it
            "45"
                + "00000045"
                + "53"
                + "464154414c00"
                + "56"
                + "464154414c00"
                + "43"
                + "303850303100"
                + "4d"
                + "756e6578706563746564206d65737361676520747970652060786020616674657220737461727475"
                + "7000"
                + "00");
  }
}
