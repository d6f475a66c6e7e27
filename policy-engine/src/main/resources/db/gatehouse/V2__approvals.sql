-- Approval requests, shared by every gateway instance; state changes are announced with NOTIFY.
CREATE TABLE approval_request (
    id                uuid        PRIMARY KEY,
    state             text        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'DENIED', 'EXPIRED', 'CANCELLED', 'USED')),
    requester_issuer  text        NOT NULL,
    requester_subject text        NOT NULL,
    requester_claims  jsonb       NOT NULL,
    database_name     text        NOT NULL,
    sql_text          text        NOT NULL,
    params            jsonb       NOT NULL,
    rule_ids          jsonb       NOT NULL,
    reasons           text        NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    decided_by        text,
    decided_at        timestamptz,
    decision_reason   text,
    used_at           timestamptz
);

CREATE INDEX approval_request_open ON approval_request (expires_at) WHERE state IN ('PENDING', 'APPROVED');
CREATE INDEX approval_request_requester ON approval_request (requester_issuer, requester_subject, created_at DESC);
