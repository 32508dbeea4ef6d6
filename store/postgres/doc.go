// Package postgres implements qluster.Store on PostgreSQL (through
// jackc/pgx and its pool), for `qluster serve --database-url postgres://…`:
// several serve replicas can then share one database, so the control plane
// survives the loss of a node.
//
// The HTTP API writes jobs here and workers lease and finish them here; both
// go through the qluster.Store interface and never see SQL. The schema and
// its semantics match store/sqlite; both pass store/storetest.
//
// Every write is one statement or one transaction, committed before the
// method returns. Lease picks jobs with FOR UPDATE SKIP LOCKED, so concurrent
// workers on any number of replicas never take the same job and never wait
// for one another; completing a job and storing its result is one statement.
// PostgreSQL's own group commit batches the WAL flushes of concurrent
// transactions.
package postgres
