-- Which process drives a sweep ("host:pid:nonce") and until when its claim holds (epoch
-- milliseconds); the driver renews the claim while it runs and clears it when it stops.
ALTER TABLE sweeps ADD COLUMN driver TEXT;
ALTER TABLE sweeps ADD COLUMN driven_until BIGINT;
