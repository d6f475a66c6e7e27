-- Statement classes a request was made for, so that an approval can open a time-boxed window.
ALTER TABLE approval_request ADD COLUMN statement_classes jsonb NOT NULL DEFAULT '[]';

-- A window opened by a used approval: the same principal may run statements of these classes on
-- this database until closes_at without asking again.
CREATE TABLE approval_window (
    approval_id       uuid        PRIMARY KEY REFERENCES approval_request (id),
    requester_issuer  text        NOT NULL,
    requester_subject text        NOT NULL,
    database_name     text        NOT NULL,
    statement_classes jsonb       NOT NULL,
    opens_at          timestamptz NOT NULL,
    closes_at         timestamptz NOT NULL
);

CREATE INDEX approval_window_open ON approval_window (requester_subject, database_name, closes_at);
