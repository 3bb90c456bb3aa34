-- Why a sweep is paused: its runner stopped on a failure (the next server start tries again).
ALTER TABLE sweeps ADD COLUMN reason TEXT;
