package qluster

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// idGen keeps the state that makes NewID monotonic within a process.
var idGen struct {
	sync.Mutex
	ms  int64  // timestamp of the last ID, Unix milliseconds
	seq uint16 // 12-bit counter within ms
}

// NewID returns a new UUIDv7 (RFC 9562) in its canonical lowercase text form,
// such as "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b". The first 48 bits are the
// Unix time in milliseconds and the next 12 a counter, so IDs made by one
// process sort, as strings, in the order they were made, even within one
// millisecond or when the clock steps back. The remaining 62 bits are random.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("qluster: crypto/rand failed: " + err.Error())
	}
	ms, seq := nextIDClock(time.Now().UnixMilli(), b[6])
	binary.BigEndian.PutUint64(b[0:8], uint64(ms)<<16|0x7000|uint64(seq))
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// nextIDClock returns the timestamp and counter of the next ID given the
// clock reading now. A new millisecond starts the counter at a random value
// below 2048 (from seed), leaving room for at least 2048 IDs in it; when the
// counter runs out the timestamp moves one millisecond ahead of the clock.
func nextIDClock(now int64, seed byte) (int64, uint16) {
	idGen.Lock()
	defer idGen.Unlock()
	switch {
	case now > idGen.ms:
		idGen.ms, idGen.seq = now, uint16(seed)<<3
	case idGen.seq < 0xfff:
		idGen.seq++
	default:
		idGen.ms++
		idGen.seq = 0
	}
	return idGen.ms, idGen.seq
}
