package loaders

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestCacheBoundEntries(t *testing.T) {
	c := NewCache("t", time.Minute, 3, 0)
	for i := 0; i < 5; i++ {
		c.Set(fmt.Sprint(i), i, 10, 0)
	}
	s := c.Stats()
	if s.Entries != 3 || s.Evictions != 2 || s.Bytes != 30 {
		t.Errorf("stats %+v, want 3 entries, 2 evictions, 30 bytes", s)
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := c.Peek(fmt.Sprint(i)); ok != want {
			t.Errorf("key %d present = %v, want %v", i, ok, want)
		}
	}
}

func TestCacheLRU(t *testing.T) {
	c := NewCache("t", time.Minute, 2, 0)
	c.Set("a", 1, 1, 0)
	c.Set("b", 2, 1, 0)
	c.Get("a") // a is now the most recently used
	c.Set("c", 3, 1, 0)
	if _, ok := c.Peek("b"); ok {
		t.Error("b, least recently used, should be evicted")
	}
	if _, ok := c.Peek("a"); !ok {
		t.Error("a was used and should stay")
	}
}

func TestCacheBoundBytes(t *testing.T) {
	c := NewCache("t", time.Minute, 0, 100)
	c.Set("a", "x", 60, 0)
	c.Set("b", "y", 60, 0)
	if s := c.Stats(); s.Entries != 1 || s.Bytes != 60 || s.Evictions != 1 {
		t.Errorf("stats %+v", s)
	}
	c.Set("huge", "z", 1000, 0) // larger than the cache: not stored
	if _, ok := c.Peek("huge"); ok {
		t.Error("an entry larger than the cache must not be stored")
	}
	c.Set("b", "y2", 10, 0) // overwrite updates the size
	if s := c.Stats(); s.Bytes != 10 {
		t.Errorf("bytes after overwrite = %d, want 10", s.Bytes)
	}
}

func TestCacheExpiry(t *testing.T) {
	c := NewCache("t", time.Minute, 10, 0)
	c.Set("short", 1, 1, time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	if _, ok := c.Get("short"); ok {
		t.Error("expired entry served")
	}
	s := c.Stats()
	if s.Misses != 1 || s.Hits != 0 {
		t.Errorf("stats %+v", s)
	}
	c.Set("x", 1, 1, 0)
	c.Get("x")
	c.Get("y")
	// One hit (x), two misses (short, y).
	if s := c.Stats(); s.HitRate() != 1.0/3 {
		t.Errorf("hit rate %v, want 1/3", s.HitRate())
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache("t", time.Minute, 100, 0)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				k := fmt.Sprint(i % 300)
				c.Set(k, i, 1, 0)
				c.Get(k)
				if i%50 == 0 {
					c.Delete(k)
				}
			}
		}()
	}
	wg.Wait()
	if s := c.Stats(); s.Entries > 100 || s.Bytes != int64(s.Entries) {
		t.Errorf("stats %+v", s)
	}
}

// TestCacheOversizedReplacesOld stores a value, then a new value for the
// same key that is larger than the whole cache: the new value cannot be
// cached, and the old one must not be served in its place (it was: a stale
// read after every write of a large result).
func TestCacheOversizedReplacesOld(t *testing.T) {
	c := NewCache("t", time.Minute, 0, 100)
	c.Set("k", "old", 10, 0)
	c.Set("other", "o", 20, 0)
	c.Set("k", "new", 1000, 0)
	if v, ok := c.Get("k"); ok {
		t.Errorf("Get after an oversized Set = %v, want a miss (the old value is stale)", v)
	}
	if s := c.Stats(); s.Entries != 1 || s.Bytes != 20 || s.Evictions != 0 {
		t.Errorf("stats %+v, want only \"other\": 1 entry, 20 bytes, no eviction", s)
	}
}

// TestCacheBookkeepingConsistent hammers a small bounded cache from several
// goroutines with Set, Get and Delete on overlapping keys, then checks that
// its counts describe exactly what it serves: Entries is the number of keys
// Peek finds, Bytes the sum of their sizes. With the recency list and the
// value store updated under different locks, an eviction racing a Set of the
// same key left ghosts (counted but not served), dropped the value just
// stored and counted that eviction as an expiration.
func TestCacheBookkeepingConsistent(t *testing.T) {
	const keys, maxEntries, maxBytes = 40, 12, 60
	size := func(k int) int64 { return int64(k%7 + 1) }
	for round := 0; round < 20; round++ {
		c := NewCache("t", time.Minute, maxEntries, maxBytes)
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 3000; i++ {
					k := (i*7 + g*13) % keys
					switch i % 5 {
					case 0, 1, 2:
						c.Set(fmt.Sprint(k), k, size(k), 0)
					case 3:
						c.Get(fmt.Sprint(k))
					case 4:
						c.Delete(fmt.Sprint(k))
					}
				}
			}()
		}
		wg.Wait()
		var n int
		var b int64
		for k := 0; k < keys; k++ {
			if _, ok := c.Peek(fmt.Sprint(k)); ok {
				n++
				b += size(k)
			}
		}
		s := c.Stats()
		// Nothing expires within the minute's TTL: every removal is an
		// eviction or a Delete.
		if s.Entries != n || s.Bytes != b || s.Entries > maxEntries || s.Bytes > maxBytes || s.Expirations != 0 {
			t.Fatalf("round %d: stats %+v, but %d entries (%d bytes) are served; bounds %d entries, %d bytes",
				round, s, n, b, maxEntries, maxBytes)
		}
	}
}

// TestCacheExpirationsCounted checks that expired entries leave the counts
// (entries, bytes) and are counted as expirations, once each, whether a Get
// or a sweep (Stats) finds them.
func TestCacheExpirationsCounted(t *testing.T) {
	c := NewCache("t", time.Minute, 10, 0)
	c.Set("a", 1, 5, time.Nanosecond)
	c.Set("b", 2, 7, time.Nanosecond)
	c.Set("c", 3, 11, 0)
	time.Sleep(time.Millisecond) // well past the 1 ns TTL
	if _, ok := c.Get("a"); ok {
		t.Fatal("expired entry served")
	}
	s := c.Stats()
	if s.Entries != 1 || s.Bytes != 11 || s.Expirations != 2 || s.Evictions != 0 {
		t.Errorf("stats %+v, want 1 entry, 11 bytes, 2 expirations", s)
	}
	if s := c.Stats(); s.Expirations != 2 {
		t.Errorf("expirations counted twice: %+v", s)
	}
}
