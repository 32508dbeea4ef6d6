-- A user's queued and running jobs, for the concurrent-job limit checked on
-- every submission (CountActiveJobs): a covering partial index keeps it a
-- short index range however many finished jobs the user has.
CREATE INDEX jobs_active ON jobs (owner, status) WHERE status IN ('queued', 'running');
