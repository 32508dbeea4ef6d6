// Package sqlite implements qluster.Store on an embedded SQLite database
// (the pure-Go modernc.org/sqlite driver): the default store of `qluster
// serve`, with no external service.
//
// The HTTP API writes jobs here and workers lease and finish them here; both
// go through the qluster.Store interface and never see SQL.
//
// Durability: the database runs in WAL mode with synchronous=FULL by default,
// so a transaction is on disk (fsynced) when it commits and survives power
// loss, not just a crash of the process. synchronous=NORMAL (Options) is
// faster but may lose the last commits on an OS crash or power cut.
//
// Throughput: all writes go through one writer goroutine that owns the only
// write connection. It takes every write waiting at that moment and runs
// them in one transaction (group commit), each in its own savepoint so that
// one failing write does not undo the others; every caller returns only
// after that transaction committed. One fsync is thus shared by a whole
// batch. Reads use a separate pool of read-only connections, which WAL lets
// run alongside the writer.
package sqlite
