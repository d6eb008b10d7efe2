package loaders

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"

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

// Cache is a TTL cache (patrickmn/go-cache) with the bound go-cache lacks: at
// most MaxEntries entries and MaxBytes bytes (as estimated by the caller),
// evicting the least recently used entries first. It is safe for concurrent
// use.
type Cache struct {
	name       string
	c          *gocache.Cache
	maxEntries int
	maxBytes   int64

	mu    sync.Mutex
	order *list.List // of *cacheEntry, least recently used first
	index map[string]*list.Element
	bytes int64

	hits, misses, evictions, expirations atomic.Int64
}

type cacheEntry struct {
	key  string
	size int64
}

// NewCache returns a cache named name (for statistics) whose entries live
// defaultTTL unless Set says otherwise, bounded to maxEntries entries and
// maxBytes bytes (0: no bound of that kind).
func NewCache(name string, defaultTTL time.Duration, maxEntries int, maxBytes int64) *Cache {
	janitor := time.Minute
	if defaultTTL > 0 && defaultTTL < janitor {
		janitor = defaultTTL
	}
	c := &Cache{
		name:       name,
		c:          gocache.New(defaultTTL, janitor),
		maxEntries: maxEntries,
		maxBytes:   maxBytes,
		order:      list.New(),
		index:      map[string]*list.Element{},
	}
	c.c.OnEvicted(c.onEvicted)
	return c
}

// onEvicted is go-cache's callback for entries it deletes: expired ones (its
// janitor) and those Evict deletes (already out of the index).
func (c *Cache) onEvicted(key string, _ any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		c.bytes -= el.Value.(*cacheEntry).size
		c.order.Remove(el)
		delete(c.index, key)
		c.expirations.Add(1)
	}
}

// Get returns the value under key, if present and not expired.
func (c *Cache) Get(key string) (any, bool) {
	v, ok := c.c.Get(key)
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	c.mu.Lock()
	if el, ok := c.index[key]; ok {
		c.order.MoveToBack(el)
	}
	c.mu.Unlock()
	return v, true
}

// Peek is Get without counting a hit or a miss.
func (c *Cache) Peek(key string) (any, bool) { return c.c.Get(key) }

// Set stores v under key for ttl (0: the cache's default), size being its
// estimated size in bytes, and evicts least recently used entries while the
// cache is over its bounds.
func (c *Cache) Set(key string, v any, size int64, ttl time.Duration) {
	if ttl == 0 {
		ttl = gocache.DefaultExpiration
	}
	if c.maxBytes > 0 && size > c.maxBytes {
		return // larger than the whole cache
	}
	c.c.Set(key, v, ttl)
	var victims []string
	c.mu.Lock()
	if el, ok := c.index[key]; ok {
		e := el.Value.(*cacheEntry)
		c.bytes += size - e.size
		e.size = size
		c.order.MoveToBack(el)
	} else {
		c.index[key] = c.order.PushBack(&cacheEntry{key: key, size: size})
		c.bytes += size
	}
	for (c.maxEntries > 0 && len(c.index) > c.maxEntries) || (c.maxBytes > 0 && c.bytes > c.maxBytes) {
		front := c.order.Front()
		if front == nil {
			break
		}
		e := front.Value.(*cacheEntry)
		c.order.Remove(front)
		delete(c.index, e.key)
		c.bytes -= e.size
		victims = append(victims, e.key)
	}
	c.mu.Unlock()
	for _, k := range victims {
		c.evictions.Add(1)
		c.c.Delete(k) // onEvicted finds it gone from the index
	}
}

// Delete removes key.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	if el, ok := c.index[key]; ok {
		c.bytes -= el.Value.(*cacheEntry).size
		c.order.Remove(el)
		delete(c.index, key)
	}
	c.mu.Unlock()
	c.c.Delete(key)
}

// Flush removes every entry.
func (c *Cache) Flush() {
	c.mu.Lock()
	c.order.Init()
	c.index = map[string]*list.Element{}
	c.bytes = 0
	c.mu.Unlock()
	c.c.Flush()
}

// Stats returns the cache's counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	entries, bytes := len(c.index), c.bytes
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
