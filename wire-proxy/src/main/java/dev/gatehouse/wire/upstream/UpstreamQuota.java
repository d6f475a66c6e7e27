package dev.gatehouse.wire.upstream;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.Quotas;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Whose upstream connections a client connection opens, kept on the client's channel once it has
 * authenticated, so that every upstream connection of the session (its own, a role switch, an
 * approved one-off) is counted against the principal's share, the role's bound and the budget.
 */
public record UpstreamQuota(Quotas quotas, Principal principal) {

  private static final AttributeKey<UpstreamQuota> KEY =
      AttributeKey.valueOf("gatehouse.upstream-quota");

  /** Counts the upstream connections {@code client} opens from now on. */
  public static void bind(Channel client, Quotas quotas, Principal principal) {
    client.attr(KEY).set(new UpstreamQuota(quotas, principal));
  }

  /** Whose quotas {@code client} counts against, or null when it is not bound. */
  public static UpstreamQuota of(Channel client) {
    return client.attr(KEY).get();
  }

  /**
   * A permit for one more connection of {@code client} as {@code role}; none when the client is not
   * bound (tests of the relay alone). Throws {@link dev.gatehouse.engine.quota.QuotaExceeded}.
   */
  static Quotas.Permit acquire(Channel client, String role) {
    UpstreamQuota bound = client.attr(KEY).get();
    return bound == null ? Quotas.Permit.NONE : bound.quotas.upstream(bound.principal, role);
  }
}
