package dev.gatehouse.engine.identity;

/**
 * Turns a bearer token into a {@link Principal}, or refuses it; one verifier for both front ends.
 */
public interface TokenVerifier {

  /**
   * Verifies {@code token} and returns who it names.
   *
   * @throws AuthenticationException with a reason that never contains the token
   */
  Principal verify(String token) throws AuthenticationException;
}
