package httpapi

import "time"

// QuafuRes exposes quafuRes to the external tests.
var QuafuRes = quafuRes

// SetQuafuSyncTimeout sets how long a synchronous Quafu submit waits and
// returns a function that restores the previous value.
func SetQuafuSyncTimeout(d time.Duration) (restore func()) {
	old := quafuSyncTimeout
	quafuSyncTimeout = d
	return func() { quafuSyncTimeout = old }
}
