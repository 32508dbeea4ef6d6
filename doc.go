// Package qluster holds the domain of the Qluster quantum cloud: jobs and
// their specifications and results, users, API tokens, the coded Error type,
// and the store interfaces that durable backends implement.
//
// It sits in the middle of the data flow and imports only the standard
// library. The HTTP API turns requests into a Job and hands it to a
// JobStore; workers lease jobs from the same JobStore, run them and report
// a JobResult back through it. The adapters (store/sqlite, store/postgres,
// httpapi, worker) depend on this package and never on one another.
package qluster
