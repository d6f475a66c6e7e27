package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gatehouse.auth} read from the startup options as PostgreSQL reads {@code options}. */
class AuthChoiceTest {

  private static AuthChoice.Method asked(String options) {
    return AuthChoice.requested(
        new StartupMessage(
            FrontendMessage.PROTOCOL_3_0,
            options == null ? Map.of("user", "u") : Map.of("user", "u", "options", options)));
  }

  @Test
  void everyFormOfTheSettingIsRead() {
    assertThat(asked(null)).isNull();
    assertThat(asked("-c statement_timeout=5")).isNull();
    assertThat(asked("-c gatehouse.auth=oauthbearer")).isEqualTo(AuthChoice.Method.OAUTHBEARER);
    assertThat(asked("-cgatehouse.auth=OAUTHBEARER")).isEqualTo(AuthChoice.Method.OAUTHBEARER);
    assertThat(asked("--gatehouse.auth=password")).isEqualTo(AuthChoice.Method.PASSWORD);
    assertThat(asked("-c x=1   -c  gatehouse.auth=password")).isEqualTo(AuthChoice.Method.PASSWORD);
    // the last one wins, as for any setting
    assertThat(asked("-c gatehouse.auth=password -c gatehouse.auth=oauthbearer"))
        .isEqualTo(AuthChoice.Method.OAUTHBEARER);
    // an escaped space belongs to the value: not a method
    assertThatThrownBy(() -> asked("-c gatehouse.auth=pass\\ word"))
        .isInstanceOf(StartupRefused.class)
        .hasMessage("unknown `gatehouse.auth` value `pass word`; use `password` or `oauthbearer`");
  }
}
