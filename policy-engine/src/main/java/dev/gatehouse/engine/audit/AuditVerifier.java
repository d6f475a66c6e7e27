package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.VerifyReport.Problem;
import dev.gatehouse.engine.audit.VerifyReport.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Walks every chain of the audit trail and names, per chain, the first record that was changed,
 * deleted or inserted. Needs the chain key; reads the records in sequence order, one pass.
 */
public final class AuditVerifier {

  private final DataSource dataSource;
  private final AuditKey key;

  public AuditVerifier(DataSource dataSource, AuditKey key) {
    this.dataSource = dataSource;
    this.key = key;
  }

  private record Row(
      UUID id,
      String instanceId,
      long seq,
      String kind,
      java.time.Instant at,
      String body,
      String prevHash,
      String hash) {}

  private record Head(long seq, String hash, boolean macOk) {}

  public VerifyReport verify() throws SQLException {
    return verify(List.of());
  }

  /**
   * Also checks chain heads published outside the database: a record missing or different at an
   * anchor's place is reported, which the in-database head alone cannot prove.
   */
  public VerifyReport verify(java.util.Collection<VerifyReport.Anchor> anchors)
      throws SQLException {
    return verify(anchors, null);
  }

  /**
   * Also checks this instance's local audit log: its records not yet shipped continue their chain
   * after the control database's, so a record changed, deleted or inserted there is named too.
   */
  public VerifyReport verify(
      java.util.Collection<VerifyReport.Anchor> anchors, String instanceId, java.nio.file.Path log)
      throws SQLException, java.io.IOException {
    return verify(anchors, log == null ? null : VerifyInputs.local(instanceId, log));
  }

  private VerifyReport verify(
      java.util.Collection<VerifyReport.Anchor> anchors, VerifyInputs.Local local)
      throws SQLException {
    Map<String, List<VerifyReport.Anchor>> byChain = new HashMap<>();
    anchors.forEach(a -> byChain.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(a));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        Map<String, Head> heads = heads(c);
        floors = VerifyInputs.floors(c, key);
        mismatches = VerifyInputs.columnMismatches(c);
        List<VerifyReport.Chain> chains = new ArrayList<>();
        long total = 0;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, instance_id, seq, kind, at, body, prev_hash, hash FROM audit_record"
                    + " ORDER BY instance_id, seq")) {
          ps.setFetchSize(2_000);
          try (ResultSet rs = ps.executeQuery()) {
            Row next = read(rs);
            while (next != null) {
              ChainWalk walk =
                  new ChainWalk(
                      next.instanceId(),
                      heads.remove(next.instanceId()),
                      byChain.getOrDefault(next.instanceId(), List.of()));
              while (next != null && next.instanceId().equals(walk.instanceId)) {
                Row current = next;
                next = read(rs);
                walk.step(
                    current,
                    next != null && next.instanceId().equals(walk.instanceId) ? next : null);
              }
              walk.checkHead();
              if (local != null && local.instanceId().equals(walk.instanceId)) {
                walk.local(local.records());
                local = null;
              }
              chains.add(walk.finish());
              total += walk.records;
            }
          }
        }
        if (local != null && !local.records().isEmpty()) {
          // Nothing of this chain is shipped yet: the local log holds it all.
          String id = local.instanceId();
          Head head = heads.remove(id);
          ChainWalk walk = new ChainWalk(id, head, byChain.getOrDefault(id, List.of()));
          if (head != null) {
            walk.checkHead();
          }
          walk.local(local.records());
          chains.add(walk.finish());
          total += walk.records;
        }
        // A head without records: the whole chain was deleted.
        for (String instanceId : new TreeSet<>(heads.keySet())) {
          chains.add(
              new VerifyReport.Chain(
                  instanceId,
                  0,
                  0,
                  new Problem(
                      instanceId,
                      1,
                      null,
                      Type.DELETED,
                      "chain `" + instanceId + "` has a head but no records: all were deleted")));
        }
        return new VerifyReport(total, chains);
      } finally {
        c.rollback();
      }
    }
  }

  private Map<String, VerifyInputs.Floor> floors = Map.of();
  private Map<String, java.util.Set<Long>> mismatches = Map.of();

  private final class ChainWalk {
    final String instanceId;
    final Head head;
    long records;
    long expectedSeq = 1;
    long lastSeq;
    String prevHash = ChainHasher.GENESIS;
    Problem problem;
    final Map<Long, String> anchors = new HashMap<>();
    final java.util.Set<Long> badColumns;
    boolean inLocal; // walking the local log, where records past the database's head belong

    ChainWalk(String instanceId, Head head, List<VerifyReport.Anchor> anchors) {
      this.instanceId = instanceId;
      this.head = head;
      anchors.forEach(a -> this.anchors.put(a.seq(), a.hash()));
      this.badColumns = mismatches.getOrDefault(instanceId, java.util.Set.of());
      VerifyInputs.Floor floor = floors.get(instanceId);
      if (floor != null && floor.macOk()) {
        // Retention dropped the records before it.
        expectedSeq = floor.seq();
        lastSeq = floor.seq() - 1;
        prevHash = floor.prevHash();
      } else if (floor != null) {
        problem = problem(floor.seq(), null, Type.CHANGED, "the floor of the chain was changed");
      }
    }

    /** Continues with the local log's records past the shipped ones. */
    void local(List<dev.gatehouse.engine.audit.log.LogRecord> local) {
      List<dev.gatehouse.engine.audit.log.LogRecord> after =
          local.stream().filter(r -> r.seq() > lastSeq).toList();
      inLocal = true;
      for (int i = 0; i < after.size(); i++) {
        step(row(after.get(i)), i + 1 < after.size() ? row(after.get(i + 1)) : null);
      }
    }

    private Row row(dev.gatehouse.engine.audit.log.LogRecord r) {
      return new Row(
          r.id(),
          instanceId,
          r.seq(),
          r.kind(),
          java.time.Instant.EPOCH.plus(r.atMicros(), java.time.temporal.ChronoUnit.MICROS),
          r.body(),
          r.prevHash(),
          r.hash());
    }

    void step(Row row, Row next) {
      records++;
      lastSeq = row.seq();
      if (problem != null) {
        return;
      }
      if (row.seq() != expectedSeq) {
        problem =
            problem(
                expectedSeq,
                null,
                Type.DELETED,
                "records "
                    + expectedSeq
                    + ".."
                    + (row.seq() - 1)
                    + " are missing before record "
                    + row.id()
                    + " (seq "
                    + row.seq()
                    + "): deleted");
        return;
      }
      String computed =
          ChainHasher.recordHash(
              key,
              instanceId,
              row.seq(),
              row.prevHash(),
              row.id().toString(),
              row.kind(),
              ChainHasher.micros(row.at()),
              row.body());
      boolean macOk = ChainHasher.sameHex(computed, row.hash());
      boolean linkOk = ChainHasher.sameHex(row.prevHash(), prevHash);
      if (!macOk || !linkOk) {
        // A forged row cannot carry a valid MAC. If the chain closes around it (the next record
        // links to the one before), or it lies past the committed head, it was inserted.
        boolean bypassed = next != null && ChainHasher.sameHex(next.prevHash(), prevHash);
        boolean pastHead = head != null && row.seq() > head.seq() && !inLocal;
        Type type = bypassed || pastHead ? Type.INSERTED : Type.CHANGED;
        problem =
            problem(
                row.seq(),
                row.id(),
                type,
                "record "
                    + row.id()
                    + " (seq "
                    + row.seq()
                    + ", "
                    + row.kind()
                    + " at "
                    + row.at()
                    + ") "
                    + (type == Type.INSERTED ? "was inserted" : "was changed")
                    + (macOk
                        ? ": it does not link to the record before it"
                        : ": its hash does not match its content"));
        return;
      }
      if (badColumns.contains(row.seq())) {
        problem =
            problem(
                row.seq(),
                row.id(),
                Type.CHANGED,
                "record "
                    + row.id()
                    + " (seq "
                    + row.seq()
                    + ") was changed: its search columns do not match its body");
        return;
      }
      String anchored = anchors.remove(row.seq());
      if (anchored != null && !ChainHasher.sameHex(anchored, row.hash())) {
        problem =
            problem(
                row.seq(),
                row.id(),
                Type.CHANGED,
                "record "
                    + row.id()
                    + " (seq "
                    + row.seq()
                    + ") differs from the published anchor");
        return;
      }
      prevHash = row.hash();
      expectedSeq++;
    }

    /** Checks the control database's head against the records walked so far. */
    void checkHead() {
      if (problem != null) {
        return;
      }
      if (head == null) {
        problem = problem(lastSeq, null, Type.DELETED, "the head of the chain was deleted");
      } else if (!head.macOk()) {
        problem = problem(head.seq(), null, Type.CHANGED, "the head of the chain was changed");
      } else if (head.seq() > lastSeq) {
        problem =
            problem(
                lastSeq + 1,
                null,
                Type.DELETED,
                "records " + (lastSeq + 1) + ".." + head.seq() + " at the end were deleted");
      } else if (!ChainHasher.sameHex(head.hash(), prevHash)) {
        problem =
            problem(head.seq(), null, Type.CHANGED, "the head does not match the last record");
      }
    }

    VerifyReport.Chain finish() {
      if (problem == null && !anchors.isEmpty()) {
        long missing = anchors.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
        problem =
            problem(
                Math.min(missing, lastSeq + 1),
                null,
                Type.DELETED,
                "the published anchor at seq "
                    + missing
                    + " names records that are gone (last seq "
                    + lastSeq
                    + ")");
      }
      return new VerifyReport.Chain(instanceId, records, lastSeq, problem);
    }

    private Problem problem(long seq, UUID id, Type type, String message) {
      return new Problem(instanceId, seq, id, type, "chain `" + instanceId + "`: " + message);
    }
  }

  private Map<String, Head> heads(Connection c) throws SQLException {
    Map<String, Head> heads = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT instance_id, seq, hash, mac FROM audit_chain_head");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        long seq = rs.getLong(2);
        String hash = rs.getString(3);
        boolean ok = ChainHasher.sameHex(ChainHasher.headMac(key, id, seq, hash), rs.getString(4));
        heads.put(id, new Head(seq, hash, ok));
      }
    }
    return heads;
  }

  private static Row read(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      return null;
    }
    return new Row(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getObject(5, java.time.OffsetDateTime.class).toInstant(),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }
}
