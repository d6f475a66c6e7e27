package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.identity.Principal;
import java.util.Map;

/**
 * What the startup established about a client session.
 *
 * @param connectionId the id the audit trail knows this connection by
 * @param database the database the client asked for
 * @param applicationName the client's {@code application_name}, or null
 * @param clientAddress the peer address
 * @param runtimeParameters client run-time parameters safe to pass upstream (encoding, date style)
 * @param processId the backend key the gateway issued to the client (not the upstream's)
 * @param secretKey its secret: 4 bytes for protocol 3.0 clients, 32 for 3.2
 */
public record SessionInfo(
    String connectionId,
    Principal principal,
    String database,
    String applicationName,
    String clientAddress,
    Map<String, String> runtimeParameters,
    int processId,
    byte[] secretKey) {

  public SessionInfo {
    runtimeParameters = Map.copyOf(runtimeParameters);
    secretKey = secretKey.clone();
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }
}
