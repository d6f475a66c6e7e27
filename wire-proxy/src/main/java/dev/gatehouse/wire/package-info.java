/**
 * The PostgreSQL v3 wire-protocol front end of Gatehouse: any Postgres client, governed statement
 * by statement.
 *
 * <p>One client connection, top to bottom ({@code server.ClientHandler}, then {@code
 * flow.Session}):
 *
 * <pre>
 * client                         gateway                               gate            PostgreSQL
 *   |-- SSLRequest --------------->|  'S' + TLS handshake (or 'N')        |                   |
 *   |-- StartupMessage ----------->|  user is a hint only                 |                   |
 *   |<- AuthenticationCleartext ---|  (refused without TLS unless loopback is allowed)       |
 *   |-- PasswordMessage(token) --->|-- authenticate(token) -------------->| Principal         |
 *   |                              |-- decide("SELECT 1") probe --------->| upstream role     |
 *   |                              |-- StartupMessage(role, options) ------------------------>|
 *   |                              |<- SCRAM-SHA-256 / md5 / cleartext with the role's secret>|
 *   |<- AuthOk, ParameterStatus* --|<- ParameterStatus*, BackendKeyData, ReadyForQuery -------|
 *   |<- BackendKeyData(own key) ---|  the upstream's key stays here (CancelRegistry)          |
 *   |<- ReadyForQuery -------------|                                      |                   |
 *   |                              |                                      |                   |
 *   |-- Query / Parse ------------>|-- admit(sql, search_path) ---------->| Admission         |
 *   |   Refused                    |<- ERROR (SQLSTATE, message), RFQ / skip to Sync; on record |
 *   |   AwaitingApproval           |-- request() / await(wait) ---------->| approval steps    |
 *   |<- NOTICE waiting for ... ----|   (event loop free)  -> Admitted | Refused              |
 *   |   Admitted                   |-- start(params) -> Run: timing, durable() -> audit      |
 *   |                              |-- original bytes ------------------------------------------>|
 *   |<- RowDescription ------------|<- RowDescription: admitted.maskPlan(columns) ------------|
 *   |<- DataRow (masked or as is) -|<- DataRow* (read only as fast as the client takes them) --|
 *   |<- CommandComplete, RFQ ------|<- CommandComplete, ReadyForQuery; run.complete(completion)|
 *   |                              |                                      |                   |
 *   |== CancelRequest(own key) ===>|== CancelRequest(upstream key) ================>|          |
 * </pre>
 *
 * <p>{@code protocol} holds one record per message ({@code frontend}, {@code backend}) and the
 * framing; {@code flow} the named conversations ({@code StartupFlow}, {@code SimpleQueryFlow},
 * {@code ExtendedQueryFlow}, {@code CopyFlow}, {@code ApprovalFlow}) and the {@code Session} they
 * share, whose state they reach by name, never as fields: {@code TransactionGuard} (the transaction
 * status the client sees), {@code PreparedStatements} (statements and portals), {@code
 * SessionSettings} (search_path, SQL cursors), {@code RowBudget} (rows per portal and cursor) and
 * {@code Owed} (the answers owed, in order); {@code upstream} the connection to PostgreSQL and its
 * startup ({@code UpstreamStartupFlow}); {@code net} the Netty transport; {@code server} the
 * listener and the client handler. Dependencies point one way ({@code server → flow → upstream →
 * net}, all over {@code protocol}), checked by {@code WireArchitectureTest}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol.html">Frontend/Backend
 *     protocol</a>
 */
package dev.gatehouse.wire;
