-- Which Slack message shows which approval request, so later changes can chat.update it.
CREATE TABLE slack_message (
    request_id               uuid        PRIMARY KEY,
    channel                  text,
    ts                       text,
    shown_state              text,
    requester_notified_state text,
    updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX slack_message_shown ON slack_message (shown_state) WHERE ts IS NOT NULL;

-- What the bot still owes Slack; one row per request and kind, coalescing repeated changes.
-- version grows with every enqueue so a change made while a delivery runs is not lost.
CREATE TABLE slack_outbox (
    request_id   uuid        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('MESSAGE', 'REQUESTER_DM')),
    version      bigint      NOT NULL DEFAULT 1,
    attempts     integer     NOT NULL DEFAULT 0,
    due_at       timestamptz NOT NULL,
    leased_until timestamptz,
    last_error   text,
    PRIMARY KEY (request_id, kind)
);

CREATE INDEX slack_outbox_due ON slack_outbox (due_at);
