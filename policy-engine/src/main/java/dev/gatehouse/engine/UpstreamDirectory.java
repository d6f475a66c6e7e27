package dev.gatehouse.engine;

/** Knows, from the configuration, where each logical database lives and its upstream roles. */
@FunctionalInterface
public interface UpstreamDirectory {

  /**
   * The connection target for {@code database} as {@code upstreamRole}.
   *
   * @throws IllegalArgumentException when the database or role is not configured
   */
  UpstreamTarget upstream(String database, String upstreamRole);
}
