-- The content (SHA-256) of each uploaded initial weights a sweep names, fixed when the sweep is
-- created: its trials read that version, whatever is uploaded under the name later.
CREATE TABLE pinned_weights (
    sweep_id VARCHAR(100) NOT NULL,
    name     VARCHAR(64)  NOT NULL,
    sha256   CHAR(64)     NOT NULL,
    PRIMARY KEY (sweep_id, name)
);
