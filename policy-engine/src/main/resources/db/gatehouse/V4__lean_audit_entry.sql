-- A lean table on the write path (issue 15, ADR 0004 decision 13): no generated jsonb and no GIN
-- index maintained per insert, partitioned by day on `at` so retention drops whole partitions.
-- A statement's outcome, when shipped together with its decision, is stored in the decision's row
-- (outcome_* columns); both keep their own place in the chain. `subject` and `statement_id` are
-- extracted from the hashed body when the row is written (verify checks they match it).
CREATE TABLE audit_entry (
    instance_id       text        NOT NULL,
    seq               bigint      NOT NULL,
    id                uuid        NOT NULL,
    kind              text        NOT NULL,
    at                timestamptz NOT NULL,
    body              text        NOT NULL,
    prev_hash         text        NOT NULL,
    hash              text        NOT NULL,
    subject           text,
    statement_id      uuid,
    outcome_seq       bigint,
    outcome_id        uuid,
    outcome_at        timestamptz,
    outcome_body      text,
    outcome_prev_hash text,
    outcome_hash      text,
    PRIMARY KEY (instance_id, seq, at)
) PARTITION BY RANGE (at);

CREATE INDEX audit_entry_at ON audit_entry (at DESC, id DESC);
CREATE INDEX audit_entry_id ON audit_entry (id);
CREATE INDEX audit_entry_subject ON audit_entry (subject, at DESC) WHERE subject IS NOT NULL;
CREATE INDEX audit_entry_outcome_of ON audit_entry (statement_id) WHERE statement_id IS NOT NULL;

-- Where each chain starts after retention dropped its oldest partitions (MAC'd with the key).
CREATE TABLE audit_chain_floor (
    instance_id text   PRIMARY KEY,
    seq         bigint NOT NULL,
    prev_hash   text   NOT NULL,
    mac         text   NOT NULL
);

-- Records written before this migration: one partition per day they cover.
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT DISTINCT (at AT TIME ZONE 'UTC')::date FROM audit_record LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF audit_entry FOR VALUES FROM (%L) TO (%L)',
      'audit_entry_p' || to_char(d, 'YYYYMMDD'),
      d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
  END LOOP;
END $$;

INSERT INTO audit_entry (instance_id, seq, id, kind, at, body, prev_hash, hash, subject, statement_id)
SELECT instance_id, seq, id, kind, at, body, prev_hash, hash,
       CASE WHEN kind = 'STATEMENT' THEN doc -> 'principal' ->> 'subject' END,
       CASE WHEN kind = 'OUTCOME' THEN (doc ->> 'statementId')::uuid END
  FROM audit_record;

DROP TABLE audit_record;

-- Every record, one row each as before (an outcome stored in its decision's row appears as its
-- own record), with the searchable jsonb computed when read, not when written.
CREATE VIEW audit_record AS
    SELECT id, instance_id, seq, kind, at, body, prev_hash, hash, body::jsonb AS doc
      FROM audit_entry
    UNION ALL
    SELECT outcome_id, instance_id, outcome_seq, 'OUTCOME', outcome_at, outcome_body,
           outcome_prev_hash, outcome_hash, outcome_body::jsonb
      FROM audit_entry WHERE outcome_seq IS NOT NULL;
