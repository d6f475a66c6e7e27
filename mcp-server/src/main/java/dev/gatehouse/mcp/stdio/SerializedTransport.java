package dev.gatehouse.mcp.stdio;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Hands outgoing messages to the SDK's stdio transport one thread at a time. That transport puts
 * each message into a sink that refuses (and so drops) a message offered while another thread is
 * still offering one; tool calls finish on different worker threads, so without this about one
 * response in a thousand was lost and its caller waited until its timeout.
 */
final class SerializedTransport implements McpServerTransport {

  private final McpServerTransport delegate;
  private final Object lock = new Object();

  SerializedTransport(McpServerTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    // Once the transport runs, subscribing offers the message at once, inside the lock.
    return Mono.create(
        sink -> {
          synchronized (lock) {
            delegate.sendMessage(message).subscribe(v -> {}, sink::error, sink::success);
          }
        });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
