package dev.gatehouse.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

  private final Principal ci =
      new Principal(
          "https://token.actions.example",
          "repo:shop/etl:ref:refs/heads/main",
          Principal.Kind.WORKLOAD,
          Set.of("etl"),
          "etl-nightly",
          Map.of(
              "repository",
              "shop/etl",
              "ci",
              Map.of("ref", "refs/heads/main"),
              "aud",
              List.of("a", "b")),
          Instant.parse("2030-01-01T00:00:00Z"));

  @Test
  void walksNestedClaims() {
    assertThat(ci.claim("repository")).isEqualTo("shop/etl");
    assertThat(ci.claim("ci.ref")).isEqualTo("refs/heads/main");
    assertThat(ci.claim("ci.missing")).isNull();
    assertThat(ci.claim("repository.deeper")).isNull();
  }

  @Test
  void claimValuesFlattenLists() {
    assertThat(ci.claimValues("aud")).containsExactly("a", "b");
    assertThat(ci.claimValues("repository")).containsExactly("shop/etl");
    assertThat(ci.claimValues("nothing")).isEmpty();
  }

  @Test
  void expiresAtItsInstant() {
    assertThat(ci.isExpired(Instant.parse("2029-12-31T23:59:59Z"))).isFalse();
    assertThat(ci.isExpired(Instant.parse("2030-01-01T00:00:00Z"))).isTrue();
  }
}
