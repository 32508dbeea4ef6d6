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

// ResultBytes exposes resultBytes to the external tests.
var ResultBytes = resultBytes

// FinishedMaxBytes is the largest result kept in memory.
const FinishedMaxBytes = finishedMaxBytes
