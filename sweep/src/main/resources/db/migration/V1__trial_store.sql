-- optbench trial store, portable between SQLite and PostgreSQL.
CREATE TABLE sweeps (
    id          VARCHAR(100) PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    spec        TEXT         NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    status      VARCHAR(20)  NOT NULL
);

CREATE TABLE trials (
    id              VARCHAR(120)     PRIMARY KEY,
    sweep_id        VARCHAR(100)     NOT NULL REFERENCES sweeps (id),
    idx             INTEGER          NOT NULL,
    trial_key       TEXT             NOT NULL,
    optimizer       VARCHAR(50)      NOT NULL,
    params          TEXT             NOT NULL,
    seed            BIGINT           NOT NULL,
    status          VARCHAR(20)      NOT NULL,
    error           TEXT,
    attempts        INTEGER          NOT NULL,
    executor_id     VARCHAR(100),
    started_at      VARCHAR(40),
    finished_at     VARCHAR(40),
    final_val_loss  DOUBLE PRECISION,
    diverged_at     INTEGER,
    state_bytes     BIGINT,
    result          TEXT
);

CREATE INDEX trials_by_sweep ON trials (sweep_id, idx);

CREATE TABLE metrics (
    trial_id   VARCHAR(120)     NOT NULL REFERENCES trials (id),
    step       INTEGER          NOT NULL,
    kind       VARCHAR(10)      NOT NULL,
    tokens     BIGINT,
    loss       DOUBLE PRECISION,
    lr         DOUBLE PRECISION,
    grad_norm  DOUBLE PRECISION,
    PRIMARY KEY (trial_id, step, kind)
);
