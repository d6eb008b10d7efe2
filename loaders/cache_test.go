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
