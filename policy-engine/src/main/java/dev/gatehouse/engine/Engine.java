package dev.gatehouse.engine;

import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalParams;
import dev.gatehouse.engine.approval.JdbcApprovalService;
import dev.gatehouse.engine.approval.PolicyApprovers;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.masking.CatalogMaskPlanner;
import dev.gatehouse.engine.policy.DatabaseConfig;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyHolder;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The policy engine assembled from its configuration: one {@link Gate} over the real parts. Both
 * front ends and every gateway command build it here, so there is one way to wire the engine.
 *
 * <p>Start order: policy (fails on a bad file), control database (Flyway migrates it), audit trail,
 * approvals, then the gate. {@link #close()} stops them in reverse.
 */
public final class Engine implements AutoCloseable {

  /**
   * What the engine needs besides the policy file's contents.
   *
   * @param policyFile the YAML policy; reloaded every {@code policyReload} when it changes (null or
   *     zero: never)
   * @param control the control database (audit trail and approvals)
   * @param audit audit trail settings (instance id, HMAC key, spool directory...)
   * @param approvals approval settings; its expiry is replaced by the policy's default expiry
   * @param pseudonymKey HMAC key of the pseudonym masking strategy, or null
   * @param catalogRoles per logical database, the upstream role whose connection reads the catalog
   *     for masking; a database not named here uses its alphabetically first role
   * @param notifiers approval notifiers (log, webhook, Slack)
   * @param analysisLimits bounds of the SQL analyser (size, tokens, nesting, parse deadline,
   *     per-principal share of the parser threads)
   */
  public record Settings(
      Path policyFile,
      Duration policyReload,
      ControlDatabase.Settings control,
      AuditConfig audit,
      ApprovalConfig approvals,
      byte[] pseudonymKey,
      Map<String, String> catalogRoles,
      int analysisCacheSize,
      List<ApprovalNotifier> notifiers,
      PostgresSqlAnalyzer.Limits analysisLimits) {

    /** Settings with the analyser's default limits. */
    public Settings(
        Path policyFile,
        Duration policyReload,
        ControlDatabase.Settings control,
        AuditConfig audit,
        ApprovalConfig approvals,
        byte[] pseudonymKey,
        Map<String, String> catalogRoles,
        int analysisCacheSize,
        List<ApprovalNotifier> notifiers) {
      this(
          policyFile,
          policyReload,
          control,
          audit,
          approvals,
          pseudonymKey,
          catalogRoles,
          analysisCacheSize,
          notifiers,
          PostgresSqlAnalyzer.Limits.DEFAULT);
    }

    public Settings {
      Objects.requireNonNull(analysisLimits, "analysisLimits");
      Objects.requireNonNull(policyFile, "policyFile");
      Objects.requireNonNull(control, "control");
      Objects.requireNonNull(audit, "audit");
      Objects.requireNonNull(approvals, "approvals");
      catalogRoles = Map.copyOf(catalogRoles);
      notifiers = List.copyOf(notifiers);
      if (analysisCacheSize < 0) {
        throw new IllegalArgumentException("`analysis-cache-size` must not be negative");
      }
    }
  }

  private final PolicyHolder policy;
  private final ControlDatabase control;
  private final JdbcAuditTrail audit;
  private final JdbcApprovalService approvals;
  private final PostgresSqlAnalyzer analyzer;
  private final DefaultGate gate;

  private Engine(
      PolicyHolder policy,
      ControlDatabase control,
      JdbcAuditTrail audit,
      JdbcApprovalService approvals,
      PostgresSqlAnalyzer analyzer,
      DefaultGate gate) {
    this.policy = policy;
    this.control = control;
    this.audit = audit;
    this.approvals = approvals;
    this.analyzer = analyzer;
    this.gate = gate;
  }

  /** Starts the engine; environment references in the policy resolve through {@code env}. */
  public static Engine start(Settings settings, Function<String, String> env, Clock clock) {
    PolicyHolder policy = new PolicyHolder(settings.policyFile(), new PolicyLoader(env));
    List<AutoCloseable> started = new ArrayList<>();
    try {
      if (settings.policyReload() != null && !settings.policyReload().isZero()) {
        policy.watch(settings.policyReload());
      }
      started.add(policy::close);
      Policy initial = policy.policy();
      refuseControlDatabaseUpstream(initial, settings.control());
      // Issuers are read once: trusting a new issuer is a restart, not a hot reload.
      JwtTokenVerifier verifier = new JwtTokenVerifier(initial.issuers());

      ControlDatabase control = ControlDatabase.open(settings.control());
      started.add(control);
      JdbcAuditTrail audit = JdbcAuditTrail.start(control, settings.audit(), clock);
      started.add(audit);
      JdbcApprovalService approvals =
          JdbcApprovalService.start(
              control,
              settings.approvals().withExpiry(initial.approvalExpiry()),
              new PolicyApprovers(policy::policy),
              settings.notifiers(),
              audit,
              clock,
              // Shown and bound as the audit keeps parameters, under the audit records' own key.
              new ApprovalParams(
                  settings.audit().paramMode(),
                  settings.audit().key().derive(JdbcAuditTrail.PARAM_KEY_PURPOSE)));
      started.add(approvals);

      PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer(settings.analysisLimits());
      started.add(analyzer::close);
      var cached =
          settings.analysisCacheSize() == 0
              ? analyzer
              : new CachingSqlAnalyzer(analyzer, settings.analysisCacheSize());
      CatalogMaskPlanner planner =
          CatalogMaskPlanner.overJdbc(
              database -> catalogConnection(policy, settings.catalogRoles(), database),
              settings.pseudonymKey());
      DefaultGate gate =
          new DefaultGate(verifier, cached, policy, planner, audit, approvals, policy, clock);
      return new Engine(policy, control, audit, approvals, analyzer, gate);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** Starts the engine with the process environment and the system clock. */
  public static Engine start(Settings settings) {
    return start(settings, System::getenv, Clock.systemUTC());
  }

  /** Governed principals must never reach the control database through the gateway. */
  private static void refuseControlDatabaseUpstream(
      Policy policy, ControlDatabase.Settings control) {
    for (DatabaseConfig db : policy.databases().values()) {
      String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
      if (control.sameDatabaseAs(url)) {
        throw new IllegalArgumentException(
            "policy database `"
                + db.name()
                + "` is the control database; the audit trail must not be reachable through the"
                + " gateway, give it a database of its own");
      }
    }
  }

  private static Connection catalogConnection(
      PolicyHolder policy, Map<String, String> catalogRoles, String database) {
    DatabaseConfig db = policy.policy().databases().get(database);
    if (db == null) {
      throw new IllegalArgumentException("no database `" + database + "` in the policy");
    }
    String role = catalogRoles.get(database);
    if (role == null) {
      role = new TreeMap<>(db.roles()).firstKey();
    }
    UpstreamTarget target = policy.upstream(database, role);
    Properties props = new Properties();
    props.setProperty("user", target.user());
    props.setProperty("password", target.password());
    props.setProperty("ApplicationName", "gatehouse-catalog");
    props.setProperty("connectTimeout", "5");
    try {
      return DriverManager.getConnection(
          "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database(),
          props);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the catalog of database `" + database + "`: " + e.getMessage(), e);
    }
  }

  public Gate gate() {
    return gate;
  }

  /** The gate with {@code observer} told of what admission does (the gateway's metrics). */
  public Gate gate(dev.gatehouse.engine.admission.AdmissionObserver observer) {
    return gate.observedBy(observer);
  }

  public PolicyHolder policy() {
    return policy;
  }

  public JdbcAuditTrail audit() {
    return audit;
  }

  public JdbcApprovalService approvals() {
    return approvals;
  }

  public ControlDatabase control() {
    return control;
  }

  @Override
  public void close() {
    closeAll(List.of(policy::close, control, audit, approvals, analyzer::close));
  }

  private static void closeAll(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(Engine.class).warn("could not stop cleanly", e);
      }
    }
  }
}
