package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.frontend.Bind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements and portals a client created through the gateway, each with the admission
 * it was prepared under, kept as PostgreSQL keeps them: the unnamed statement and portal are
 * replaced by the next Parse and Bind, named ones live until Close or DISCARD ALL.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY">Extended
 *     query</a>
 */
final class PreparedStatements {

  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();

  /**
   * A Parse went upstream. A named statement that exists stays as it was (PostgreSQL refuses the
   * Parse), so its admission is not replaced by this one.
   */
  void parsed(PreparedStatement statement) {
    String name = statement.parse.name();
    if (name.isEmpty() || !statements.containsKey(name)) {
      statements.put(name, statement);
    }
  }

  /** A Parse PostgreSQL refused or skipped: the statement it would have named is not there. */
  void notParsed(PreparedStatement statement) {
    statements.remove(statement.parse.name(), statement);
  }

  /** A Bind PostgreSQL refused or skipped: the portal it would have created is not there. */
  void notBound(Portal portal) {
    portals.remove(portal.bind.portal(), portal);
  }

  /** The statement named {@code name} ("" for the unnamed one), or null. */
  PreparedStatement statement(String name) {
    return statements.get(name);
  }

  /** A Bind of a known statement creates (or replaces) its portal; null when it names none. */
  Portal bind(Bind bind) {
    PreparedStatement statement = statements.get(bind.statement());
    if (statement == null) {
      return null;
    }
    Portal portal = new Portal(statement, bind);
    portals.put(bind.portal(), portal);
    return portal;
  }

  /** The portal named {@code name} ("" for the unnamed one), or null. */
  Portal portal(String name) {
    return portals.get(name);
  }

  /** Close of a statement ({@code S}) or a portal ({@code P}). */
  void close(char kind, String name) {
    if (kind == 'S') {
      statements.remove(name);
    } else {
      portals.remove(name);
    }
  }

  /** The named statements, to prepare again on a new upstream connection. */
  List<PreparedStatement> named() {
    return statements.values().stream().filter(s -> !s.parse.name().isEmpty()).toList();
  }

  /** DISCARD ALL deallocates every named statement and closes every named portal. */
  void discardAll() {
    statements.keySet().removeIf(name -> !name.isEmpty());
    portals.keySet().removeIf(name -> !name.isEmpty());
  }
}
