-- A sweep's name is unique per owner (the server keeps it so); its id, unique in the store,
-- names its directory. Looking a sweep up by owner and name is indexed.
CREATE INDEX sweeps_by_owner_and_name ON sweeps (owner, name);
