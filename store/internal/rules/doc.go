// Package rules holds what store/sqlite and store/postgres must agree on
// beyond the SQL: the clock precision, the checks and defaults applied to new
// records, the list cursor format, and the errors for lost leases. Keeping
// them here makes both stores behave the same under store/storetest.
package rules
