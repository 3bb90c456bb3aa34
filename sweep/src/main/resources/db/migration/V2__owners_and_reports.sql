-- Sweeps belong to users; trials carry the token of their current worker attempt and their
-- latest reported step, so progress is visible while they run.
ALTER TABLE sweeps ADD COLUMN owner VARCHAR(100) NOT NULL DEFAULT 'local';
ALTER TABLE trials ADD COLUMN worker_token VARCHAR(100);
ALTER TABLE trials ADD COLUMN last_step INTEGER;
ALTER TABLE trials ADD COLUMN last_loss DOUBLE PRECISION;
