package dev.gatehouse.engine.upstream;

/** Knows, from the configuration, where each logical database lives and its upstream roles. */
@FunctionalInterface
public interface UpstreamDirectory {

  /**
   * The connection target for {@code database} as {@code upstreamRole}.
   *
   * @throws IllegalArgumentException when the database or role is not configured
   */
  UpstreamTarget upstream(String database, String upstreamRole);

  /**
   * Whether clients may connect to {@code database} at all: the configuration declares it and some
   * rule grants something on it. Directories that do not know the configured databases (tests'
   * fixed targets) serve every name; the policy's own directory overrides this.
   */
  default boolean serves(String database) {
    return true;
  }
}
