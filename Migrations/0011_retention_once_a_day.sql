-- The scheduler plans at most one execute run per local day: a plan job that committed but was
-- rescued before its success was recorded must not plan (and execute) the same day twice.
CREATE UNIQUE INDEX retention_runs_one_scheduled_per_day ON retention_runs (as_of)
    WHERE trigger = 'scheduler' AND mode = 'execute';
