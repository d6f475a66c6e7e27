-- The audit trail: one table for every kind of record, so each gateway instance writes one chain.
-- Each row is chained: hash = HMAC-SHA256(key, instance_id, seq, prev_hash, id, kind, at, body).
-- The key never reaches this database. Searchable columns are generated from the hashed body, so
-- they cannot be changed on their own.
CREATE TABLE audit_record (
    id          uuid        PRIMARY KEY,
    instance_id text        NOT NULL,
    seq         bigint      NOT NULL,
    kind        text        NOT NULL,
    at          timestamptz NOT NULL,
    body        text        NOT NULL,
    prev_hash   text        NOT NULL,
    hash        text        NOT NULL,
    doc         jsonb       GENERATED ALWAYS AS (body::jsonb) STORED,
    CONSTRAINT audit_record_chain UNIQUE (instance_id, seq)
);

CREATE INDEX audit_record_at ON audit_record (at DESC, id DESC);
CREATE INDEX audit_record_kind_at ON audit_record (kind, at DESC);
-- An outcome names its statement record; searches join on this.
CREATE INDEX audit_record_outcome_of ON audit_record (((doc ->> 'statementId')::uuid))
    WHERE kind = 'OUTCOME';
CREATE INDEX audit_record_subject ON audit_record ((doc -> 'principal' ->> 'subject'), at DESC);
CREATE INDEX audit_record_doc ON audit_record USING gin (doc jsonb_path_ops);

-- The last committed record of each chain, updated in the same transaction as the records, so that
-- deleting the newest records of a chain is detected too.
CREATE TABLE audit_chain_head (
    instance_id text   PRIMARY KEY,
    seq         bigint NOT NULL,
    hash        text   NOT NULL,
    mac         text   NOT NULL
);
