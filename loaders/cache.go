package loaders

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	gocache "github.com/patrickmn/go-cache"

	"github.com/odoogql/odoogql/odoo"
)

// CacheStats are a cache's counters.
type CacheStats struct {
	Name        string
	Hits        int64
	Misses      int64
	Evictions   int64 // removed to stay within the bounds
	Expirations int64 // removed because their TTL passed
	Entries     int
	Bytes       int64
}

// HitRate is hits / (hits + misses), 0 when the cache was never asked.
func (s CacheStats) HitRate() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}

// Cache is a TTL cache with the bound go-cache lacks: at most MaxEntries
// entries and MaxBytes bytes (as estimated by the caller), evicting the least
// recently used entries first. It is safe for concurrent use.
//
// Two maintained libraries, one lock: patrickmn/go-cache is the TTL store
// (values and their expiry, as the design asks) and hashicorp/golang-lru/v2's
// simplelru keeps the recency order and each entry's size. Neither bounds
// bytes, and go-cache has no recency, so neither fits alone; a hand-written
// list is what let the two bookkeepings drift apart before. Every operation
// now changes both under c.mu, so no reader or writer ever sees one without
// the other. go-cache runs no janitor and has no eviction callback (that
// callback would re-enter c.mu): an expired entry is removed, and counted as
// an expiration, when a Get finds it or when a sweep (Stats, or a Set once
// per sweep interval) does.
type Cache struct {
	name       string
	maxEntries int
	maxBytes   int64
	sweepEvery time.Duration

	mu        sync.Mutex
	c         *gocache.Cache                // values and expiry; only touched under mu
	lru       *simplelru.LRU[string, int64] // key → estimated size, least recently used first
	bytes     int64                         // sum of the sizes in lru
	lastSweep time.Time
	removal   *atomic.Int64 // counter the lru's eviction callback charges (nil: none)

	hits, misses, evictions, expirations atomic.Int64
}

// NewCache returns a cache named name (for statistics) whose entries live
// defaultTTL unless Set says otherwise, bounded to maxEntries entries and
// maxBytes bytes (0: no bound of that kind).
func NewCache(name string, defaultTTL time.Duration, maxEntries int, maxBytes int64) *Cache {
	sweep := time.Minute
	if defaultTTL > 0 && defaultTTL < sweep {
		sweep = defaultTTL
	}
	c := &Cache{
		name:       name,
		maxEntries: maxEntries,
		maxBytes:   maxBytes,
		sweepEvery: sweep,
		c:          gocache.New(defaultTTL, 0), // no janitor: sweep does its work under mu
		lastSweep:  time.Now(),
	}
	size := maxEntries
	if size <= 0 {
		size = math.MaxInt
	}
	lru, err := simplelru.NewLRU[string, int64](size, c.removed)
	if err != nil { // only for a size <= 0, excluded above
		panic(err)
	}
	c.lru = lru
	return c
}

// removed is the lru's callback for every entry it drops (eviction over
// maxEntries, RemoveOldest, Remove, Purge), called with c.mu held: it keeps
// the byte count and go-cache in step and charges the cause's counter.
func (c *Cache) removed(key string, size int64) {
	c.bytes -= size
	c.c.Delete(key)
	if c.removal != nil {
		c.removal.Add(1)
	}
}

// drop removes key from both stores, charging counter (nil: no counter).
// c.mu must be held.
func (c *Cache) drop(key string, counter *atomic.Int64) {
	c.removal = counter
	c.lru.Remove(key)
	c.removal = nil
	c.c.Delete(key) // also when lru did not have it
}

// Get returns the value under key, if present and not expired.
func (c *Cache) Get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.c.Get(key)
	if !ok {
		if c.lru.Contains(key) { // expired, not swept yet
			c.drop(key, &c.expirations)
		}
		c.misses.Add(1)
		return nil, false
	}
	c.lru.Get(key) // most recently used now
	c.hits.Add(1)
	return v, true
}

// Peek is Get without counting a hit or a miss or changing the recency.
func (c *Cache) Peek(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.c.Get(key)
}

// Set stores v under key for ttl (0: the cache's default), size being its
// estimated size in bytes, and evicts least recently used entries while the
// cache is over its bounds. A value larger than the whole cache is not
// stored, and the value it replaces is removed: a later Get misses instead
// of reading the old value.
func (c *Cache) Set(key string, v any, size int64, ttl time.Duration) {
	if ttl == 0 {
		ttl = gocache.DefaultExpiration
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.maxBytes > 0 && size > c.maxBytes {
		c.drop(key, nil)
		return
	}
	if time.Since(c.lastSweep) >= c.sweepEvery {
		c.sweep()
	}
	if old, ok := c.lru.Peek(key); ok {
		c.bytes -= old
	}
	c.c.Set(key, v, ttl)
	c.removal = &c.evictions
	c.lru.Add(key, size) // evicts the oldest entry when over maxEntries
	c.bytes += size
	for c.maxBytes > 0 && c.bytes > c.maxBytes {
		if _, _, ok := c.lru.RemoveOldest(); !ok {
			break
		}
	}
	c.removal = nil
}

// sweep removes the expired entries. c.mu must be held.
func (c *Cache) sweep() {
	c.lastSweep = time.Now()
	for _, k := range c.lru.Keys() {
		if _, ok := c.c.Get(k); !ok {
			c.drop(k, &c.expirations)
		}
	}
}

// Delete removes key.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop(key, nil)
}

// Flush removes every entry.
func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Purge()
	c.c.Flush()
	c.bytes = 0
}

// Stats returns the cache's counters, after removing expired entries so
// that Entries and Bytes count only live ones.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	c.sweep()
	entries, bytes := c.lru.Len(), c.bytes
	c.mu.Unlock()
	return CacheStats{
		Name: c.name, Hits: c.hits.Load(), Misses: c.misses.Load(),
		Evictions: c.evictions.Load(), Expirations: c.expirations.Load(),
		Entries: entries, Bytes: bytes,
	}
}

// SizeOf estimates the memory an Odoo value takes, for the byte bound.
func SizeOf(v any) int64 {
	switch x := v.(type) {
	case nil, bool, int, int64, float64:
		return 16
	case string:
		return 16 + int64(len(x))
	case []any:
		n := int64(24)
		for _, it := range x {
			n += SizeOf(it)
		}
		return n
	case map[string]any:
		n := int64(48)
		for k, it := range x {
			n += 16 + int64(len(k)) + SizeOf(it)
		}
		return n
	case []int:
		return 24 + 8*int64(len(x))
	case odoo.Record:
		return SizeOf(map[string]any(x))
	case []odoo.Record:
		n := int64(24)
		for _, r := range x {
			n += SizeOf(map[string]any(r))
		}
		return n
	}
	return 64
}
