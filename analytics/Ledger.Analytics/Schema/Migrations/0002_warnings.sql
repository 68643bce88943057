-- Early warnings: mass layoffs (Labour Contract Law art. 41) and rising closure rates, with their evidence.

CREATE TABLE warnings (
    id                   bigserial   PRIMARY KEY,
    kind                 text        NOT NULL CHECK (kind IN ('art41_count', 'art41_share', 'closure_rate')),
    division             char(12)    NOT NULL,   -- the employer's registration (art. 41) or the division whose rate rose
    employer_credit_code char(18),
    raised_height        bigint      NOT NULL,
    raised_at            timestamptz NOT NULL,   -- the block time that crossed the threshold
    window_start         timestamptz NOT NULL,
    observed             integer     NOT NULL,   -- layoffs in the window, or closures in the window
    reference            integer     NOT NULL,   -- the workforce (art. 41), or the baseline per window ×100 (rate)
    detail               text        NOT NULL,
    acknowledged_at      timestamptz,
    acknowledged_by      text,                   -- the bureau certificate's subject
    acknowledged_by_id   bytea,
    UNIQUE (kind, division, employer_credit_code, raised_height)
);
CREATE INDEX warnings_division ON warnings (division, raised_at);

CREATE TABLE warning_evidence (
    warning_id  bigint  NOT NULL REFERENCES warnings ON DELETE CASCADE,
    contract_id text    NOT NULL,
    tx_id       bytea   NOT NULL,
    height      bigint  NOT NULL,
    tx_index    integer NOT NULL,
    PRIMARY KEY (warning_id, height, tx_index)
);

-- Dissolutions and terminations per day (UTC+8) and division, at each of the five levels: what the closure-rate check
-- reads, kept in the block's transaction so the check never scans the facts.
CREATE TABLE daily_closures (
    level    smallint NOT NULL,
    division char(12) NOT NULL,
    day      date     NOT NULL,
    closures integer  NOT NULL,
    PRIMARY KEY (level, division, day)
);
