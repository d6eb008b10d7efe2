package redisstore

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/odoogql/odoogql/loaders"
)

// Options configure a Store. Zero values take the defaults.
type Options struct {
	Network   string // "tcp" (default) or "unix"
	Addr      string // host:port, or a socket path with Network "unix"; required
	Username  string
	Password  string
	DB        int
	TLSConfig *tls.Config
	PoolSize  int // connections; 0: go-redis's default (10 per CPU)

	// KeyPrefix starts every key the store writes; default "odoogql:".
	KeyPrefix string
	// Channel is the Pub/Sub channel of the announcements; default
	// KeyPrefix + "bumps".
	Channel string

	// DialTimeout, ReadTimeout and WriteTimeout bound each operation, so
	// that Redis going away never holds a request for long: default 250ms
	// each, and no operation lasts longer than ReadTimeout + WriteTimeout.
	DialTimeout  time.Duration
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// Backoff is how long the store stays down after a failure before it
	// pings Redis again (and again, until it answers); default 1s. The
	// subscription waits as long between two attempts to reconnect.
	Backoff time.Duration
	// PingInterval is how long the subscription may stay silent before it
	// pings Redis; a ping left unanswered as long again reconnects it (for a
	// network that drops packets instead of closing connections). Default
	// 5s.
	PingInterval time.Duration
	// SetQueue is how many values may wait to be written; past it Set drops
	// them (a cache may forget). Default 4096.
	SetQueue int

	Logger *slog.Logger // default: slog.Default()
}

// ParseURL reads a Redis URL: redis://[[user]:password@]host[:port][/db],
// rediss:// for TLS, or unix://[[user]:password@]/path?db=N. Its errors never
// contain the password.
func ParseURL(raw string) (Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Options{}, errors.New("not a URL such as redis://:password@host:6379/0")
	}
	ro, err := redis.ParseURL(raw)
	if err != nil {
		msg := err.Error()
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
		return Options{}, errors.New(msg)
	}
	if u.Scheme != "unix" && u.Hostname() == "" {
		return Options{}, errors.New("no host: want a URL such as redis://:password@host:6379/0")
	}
	return Options{
		Network: ro.Network, Addr: ro.Addr, Username: ro.Username, Password: ro.Password, DB: ro.DB,
		TLSConfig: ro.TLSConfig, PoolSize: ro.PoolSize,
		DialTimeout: ro.DialTimeout, ReadTimeout: positive(ro.ReadTimeout), WriteTimeout: positive(ro.WriteTimeout),
	}, nil
}

// positive keeps a timeout from a URL unless it is go-redis's "none" (-1)
// or "default" (-2).
func positive(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}

func (o *Options) defaults() {
	if o.Network == "" {
		o.Network = "tcp"
	}
	if o.KeyPrefix == "" {
		o.KeyPrefix = "odoogql:"
	}
	if o.Channel == "" {
		o.Channel = o.KeyPrefix + "bumps"
	}
	for _, d := range []*time.Duration{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout} {
		if *d <= 0 {
			*d = 250 * time.Millisecond
		}
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 5 * time.Second
	}
	if o.SetQueue <= 0 {
		o.SetQueue = 4096
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Stats are a store's counters and state.
type Stats struct {
	Up         bool  // the last operation succeeded (or the probe since)
	Subscribed int   // subscriptions established (and resynchronized) now
	Hits       int64 // Get found the key
	Misses     int64 // Get did not (including while down)
	Errors     int64 // operations that failed
	Sets       int64 // values written
	Dropped    int64 // values not written: down, queue full or failed batch
	Bumps      int64 // successful Bump calls (replays included)
	Received   int64 // announcements received by the subscriptions
	Outages    int64 // times the store went down
	Pending    int   // counter names whose bump waits for Redis to come back
}

// Store is a loaders.Shared on Redis. It is safe for concurrent use.
type Store struct {
	opt    Options
	log    *slog.Logger
	client *redis.Client

	ctx    context.Context // done when the store is closed
	cancel context.CancelFunc
	wg     sync.WaitGroup

	down      atomic.Bool
	outageGen atomic.Uint64 // generation handed out while down
	wake      chan struct{} // tells the probe the store went down
	setq      chan setReq

	mu       sync.Mutex
	closed   bool
	known    map[string]struct{} // counter names handed out or bumped
	pending  map[string]struct{} // names of bumps that failed
	subs     map[int]func([]string)
	nextSub  int
	lastWarn time.Time
	loud     bool // the current outage was logged as a warning

	hits, misses, errs, sets, dropped, bumps, received, outages atomic.Int64
	subscribed                                                  atomic.Int64
}

var _ loaders.Shared = (*Store)(nil)

type setReq struct {
	key  string
	val  []byte
	ttl  time.Duration
	done chan struct{} // a Sync marker when not nil
}

// New returns a store for opt and starts its background work. It does not
// fail when Redis is unreachable: the store starts down and comes up by
// itself (ctx bounds only the first ping).
func New(ctx context.Context, opt Options) (*Store, error) {
	opt.defaults()
	if opt.Addr == "" {
		return nil, errors.New("redisstore: no address")
	}
	setRedisLogger(opt.Logger)
	client := redis.NewClient(&redis.Options{
		Network: opt.Network, Addr: opt.Addr, Username: opt.Username, Password: opt.Password, DB: opt.DB,
		TLSConfig: opt.TLSConfig, PoolSize: opt.PoolSize,
		DialTimeout: opt.DialTimeout, ReadTimeout: opt.ReadTimeout, WriteTimeout: opt.WriteTimeout,
		PoolTimeout:           opt.ReadTimeout + opt.WriteTimeout,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1, // a failure marks the store down; the probe retries
		DisableIdentity:       true,
	})
	s := &Store{
		opt: opt, log: opt.Logger.With(slog.String("redis", opt.Addr)), client: client,
		wake: make(chan struct{}, 1), setq: make(chan setReq, opt.SetQueue),
		known: map[string]struct{}{}, pending: map[string]struct{}{}, subs: map[int]func([]string){},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(2)
	go s.writer()
	go s.prober()
	pctx, cancel := s.opCtx(ctx)
	err := client.Ping(pctx).Err()
	cancel()
	if err != nil {
		s.fail(ctx, err)
	} else {
		s.log.Info("record cache shared through redis", slog.Int("db", opt.DB), slog.String("prefix", opt.KeyPrefix))
	}
	return s, nil
}

// Close stops the store's background work and closes its connections. Calls
// after Close miss. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return s.client.Close()
}

// opCtx bounds one operation.
func (s *Store) opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opt.ReadTimeout+s.opt.WriteTimeout)
}

// usable reports whether operations should go to Redis now.
func (s *Store) usable() bool { return !s.down.Load() && s.ctx.Err() == nil }

// fail records a failed operation: unless the caller gave up (ctx done), the
// store goes down and the probe starts.
func (s *Store) fail(ctx context.Context, err error) {
	s.errs.Add(1)
	if ctx.Err() != nil || s.ctx.Err() != nil {
		return // the request or the store ended, Redis is not to blame
	}
	if s.down.Load() {
		return
	}
	s.mu.Lock()
	if s.down.Load() {
		s.mu.Unlock()
		return
	}
	// The outage's generation is in place before anyone sees the store down.
	s.outageGen.Store(1<<63 | rand.Uint64())
	s.down.Store(true)
	s.outages.Add(1)
	s.loud = time.Since(s.lastWarn) >= time.Minute // flapping: once a minute is enough
	if s.loud {
		s.lastWarn = time.Now()
	}
	level := s.logLevel(slog.LevelWarn)
	s.mu.Unlock()
	s.log.Log(ctx, level, "redis unavailable: the record cache is per replica until it is back", slog.Any("err", err))
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// logLevel is level for news of the current outage, or debug when it is
// one of many in a minute. s.mu is held.
func (s *Store) logLevel(level slog.Level) slog.Level {
	if s.loud {
		return level
	}
	return slog.LevelDebug
}

func (s *Store) valKey(key string) string  { return s.opt.KeyPrefix + "val:" + key }
func (s *Store) genKey(name string) string { return s.opt.KeyPrefix + "gen:" + name }

// Get returns the value under key; a miss when it is absent or Redis is away.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool) {
	if !s.usable() {
		s.misses.Add(1)
		return nil, false
	}
	octx, cancel := s.opCtx(ctx)
	defer cancel()
	b, err := s.client.Get(octx, s.valKey(key)).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			s.fail(ctx, err)
		}
		s.misses.Add(1)
		return nil, false
	}
	s.hits.Add(1)
	return b, true
}

// Set stores val under key for ttl, in the background: it never waits for
// Redis. A value without a positive TTL is not stored.
func (s *Store) Set(_ context.Context, key string, val []byte, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	if !s.usable() {
		s.dropped.Add(1)
		return
	}
	select {
	case s.setq <- setReq{key: key, val: val, ttl: ttl}:
	default:
		s.dropped.Add(1)
	}
}

// Sync waits until every value Set before it was written (or dropped).
func (s *Store) Sync(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case s.setq <- setReq{done: done}:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return errors.New("redisstore: closed")
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return errors.New("redisstore: closed")
	}
}

// writer writes queued values in pipelined batches.
func (s *Store) writer() {
	defer s.wg.Done()
	const maxBatch = 256
	batch := make([]setReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case <-s.ctx.Done():
			return
		case r := <-s.setq:
			batch = append(batch, r)
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-s.setq:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.writeBatch(batch)
	}
}

func (s *Store) writeBatch(batch []setReq) {
	var vals []setReq
	for _, r := range batch {
		if r.done == nil {
			vals = append(vals, r)
		}
	}
	if len(vals) > 0 {
		if !s.usable() {
			s.dropped.Add(int64(len(vals)))
		} else {
			ctx, cancel := s.opCtx(s.ctx)
			_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
				for _, r := range vals {
					p.Set(ctx, s.valKey(r.key), r.val, r.ttl)
				}
				return nil
			})
			cancel()
			if err != nil {
				s.dropped.Add(int64(len(vals)))
				s.fail(s.ctx, err)
			} else {
				s.sets.Add(int64(len(vals)))
			}
		}
	}
	for _, r := range batch {
		if r.done != nil {
			close(r.done)
		}
	}
}

// The counter scripts start an absent counter at the server's clock in
// microseconds (see the package documentation). replicate_commands makes
// TIME followed by writes legal on Redis before 5 (a no-op since 7).
const (
	scriptStart = `if redis.replicate_commands then redis.replicate_commands() end
local function now()
  local t = redis.call('TIME')
  return t[1] .. string.format('%06d', tonumber(t[2]))
end
`
	// KEYS[1]: the counter. Returns its value, creating it when absent.
	genSource = scriptStart + `local v = redis.call('GET', KEYS[1])
if not v then
  v = now()
  redis.call('SET', KEYS[1], v)
end
return v`
	// KEYS: the counters; ARGV[1]: the channel, ARGV[2]: the announcement.
	bumpSource = scriptStart + `local start
for _, k in ipairs(KEYS) do
  if redis.call('EXISTS', k) == 0 then
    start = start or now()
    redis.call('SET', k, start)
  end
  redis.call('INCR', k)
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return #KEYS`
)

var (
	genScript  = redis.NewScript(genSource)
	bumpScript = redis.NewScript(bumpSource)
)

func (s *Store) remember(names ...string) {
	s.mu.Lock()
	for _, n := range names {
		s.known[n] = struct{}{}
	}
	s.mu.Unlock()
}

// Generation returns the shared counter name, creating it when absent. While
// Redis is away it returns a random value (above any real counter) drawn at
// the start of the outage, rather than 0: what a replica caches during one
// outage is then never mistaken for what it or another replica cached in
// another, nor for shared entries.
func (s *Store) Generation(ctx context.Context, name string) uint64 {
	s.remember(name)
	if !s.usable() {
		return s.outageGen.Load()
	}
	octx, cancel := s.opCtx(ctx)
	defer cancel()
	v, err := genScript.Run(octx, s.client, []string{s.genKey(name)}).Text()
	if err == nil {
		var n uint64
		if n, err = strconv.ParseUint(v, 10, 64); err == nil {
			return n
		}
	}
	s.fail(ctx, err)
	return s.outageGen.Load()
}

// Bump increments the counters and announces their names, atomically. When
// Redis is away it fails at once and keeps the names: the bump is replayed
// when Redis answers again.
func (s *Store) Bump(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	s.remember(names...)
	s.mu.Lock()
	if !s.usable() {
		// Under s.mu: recover brings the store up only with no bump pending.
		s.addPending(names)
		s.mu.Unlock()
		return errors.New("redisstore: redis unavailable")
	}
	s.mu.Unlock()
	if err := s.bump(ctx, names); err != nil {
		// The outcome is unknown (the script may have run): replaying it
		// costs at most one extra increment. The store goes down even if
		// the caller gave up, so that the replay happens.
		s.mu.Lock()
		s.addPending(names)
		s.mu.Unlock()
		s.fail(context.WithoutCancel(ctx), err)
		return err
	}
	return nil
}

func (s *Store) bump(ctx context.Context, names []string) error {
	msg, _ := json.Marshal(names)
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = s.genKey(n)
	}
	octx, cancel := s.opCtx(ctx)
	defer cancel()
	if err := bumpScript.Run(octx, s.client, keys, s.opt.Channel, msg).Err(); err != nil {
		return err
	}
	s.bumps.Add(1)
	return nil
}

// addPending records bumps to replay. s.mu is held.
func (s *Store) addPending(names []string) {
	for _, n := range names {
		s.pending[n] = struct{}{}
	}
}

// prober waits for the store to go down, then pings Redis every Backoff
// until it answers, replays the pending bumps and brings the store up.
func (s *Store) prober() {
	defer s.wg.Done()
	t := time.NewTimer(time.Hour)
	t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.wake:
		}
		for s.down.Load() {
			t.Reset(s.opt.Backoff)
			select {
			case <-s.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			s.recover()
		}
	}
}

// recover brings the store up if Redis answers and the pending bumps could
// be replayed, then has the subscribers forget every counter they hold.
func (s *Store) recover() {
	ctx, cancel := s.opCtx(s.ctx)
	err := s.client.Ping(ctx).Err()
	cancel()
	if err != nil {
		s.errs.Add(1)
		return
	}
	replayed := 0
	for {
		s.mu.Lock()
		names := sortedKeys(s.pending)
		if len(names) == 0 {
			s.down.Store(false)
			level := s.logLevel(slog.LevelInfo)
			s.mu.Unlock()
			s.log.Log(s.ctx, level, "redis is back: the record cache is shared again", slog.Int("replayed_bumps", replayed))
			break
		}
		s.mu.Unlock()
		if err := s.bump(s.ctx, names); err != nil {
			s.errs.Add(1)
			return
		}
		replayed += len(names)
		s.mu.Lock()
		for _, n := range names {
			delete(s.pending, n)
		}
		s.mu.Unlock()
	}
	s.resync(nil)
}

// resync tells the subscribers (or only f) to forget every counter the store
// handed out: they read them again from Redis.
func (s *Store) resync(f func([]string)) {
	s.mu.Lock()
	names := sortedKeys(s.known)
	var fs []func([]string)
	if f != nil {
		fs = append(fs, f)
	} else {
		for _, g := range s.subs {
			fs = append(fs, g)
		}
	}
	s.mu.Unlock()
	if len(names) == 0 {
		return
	}
	for _, g := range fs {
		g(names)
	}
}

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Subscribe calls f with the names of the counters any replica bumps, until
// ctx is done or the store is closed, from a goroutine that reconnects by
// itself. It waits (briefly) for the subscription to be established, so a
// bump made after it returns is not missed while Redis is up. Each time the
// subscription is established again, f is also called with every counter
// name the store handed out: announcements made meanwhile are lost.
func (s *Store) Subscribe(ctx context.Context, f func(names []string)) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	id := s.nextSub
	s.nextSub++
	s.subs[id] = f
	s.wg.Add(1)
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	ready := make(chan struct{})
	go func() {
		defer s.wg.Done()
		defer stop()
		defer cancel()
		defer func() {
			s.mu.Lock()
			delete(s.subs, id)
			s.mu.Unlock()
		}()
		var once sync.Once
		markReady := func() { once.Do(func() { close(ready) }) }
		t := time.NewTimer(time.Hour)
		t.Stop()
		for {
			s.subscribeOnce(ctx, f, markReady)
			markReady() // first attempt over: Subscribe need not wait longer
			t.Reset(s.opt.Backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
	wait := time.NewTimer(s.opt.DialTimeout + s.opt.ReadTimeout + s.opt.WriteTimeout)
	defer wait.Stop()
	select {
	case <-ready:
	case <-wait.C:
	case <-ctx.Done():
	}
}

// subscribeOnce runs one subscription connection until it fails or ctx is
// done.
func (s *Store) subscribeOnce(ctx context.Context, f func([]string), ready func()) {
	ps := s.client.Subscribe(ctx) // no channel yet: no connection yet
	defer ps.Close()
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() }) // unblocks Receive
	defer stop()
	sctx, cancel := s.opCtx(ctx)
	err := ps.Subscribe(sctx, s.opt.Channel)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			s.log.Debug("redis subscription: cannot subscribe", slog.Any("err", err))
		}
		return
	}
	up := false
	defer func() {
		if up {
			s.subscribed.Add(-1)
			if ctx.Err() == nil {
				s.log.Info("redis subscription lost; reconnecting")
			}
		}
	}()
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, s.opt.PingInterval)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var te interface{ Timeout() bool }
			if errors.As(err, &te) && te.Timeout() && !pinged && up {
				if ps.Ping(ctx) != nil {
					return
				}
				pinged = true
				continue
			}
			s.log.Debug("redis subscription: receive failed", slog.Any("err", err))
			return
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" && !up {
				// Counted once f forgot every counter: from then on this
				// replica misses no write.
				s.resync(f)
				up = true
				s.subscribed.Add(1)
				ready()
			}
		case *redis.Message:
			var names []string
			if err := json.Unmarshal([]byte(m.Payload), &names); err != nil {
				s.log.Debug("redis subscription: bad announcement", slog.String("payload", m.Payload))
				continue
			}
			s.received.Add(1)
			f(names)
		}
	}
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	pending := len(s.pending)
	s.mu.Unlock()
	return Stats{
		Up: s.usable(), Subscribed: int(s.subscribed.Load()),
		Hits: s.hits.Load(), Misses: s.misses.Load(), Errors: s.errs.Load(),
		Sets: s.sets.Load(), Dropped: s.dropped.Load(), Bumps: s.bumps.Load(),
		Received: s.received.Load(), Outages: s.outages.Load(), Pending: pending,
	}
}

// Healthy pings Redis (at once an error while the store is down).
func (s *Store) Healthy(ctx context.Context) error {
	if !s.usable() {
		return errors.New("redis unavailable")
	}
	octx, cancel := s.opCtx(ctx)
	defer cancel()
	if err := s.client.Ping(octx).Err(); err != nil {
		s.fail(ctx, err)
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}

// go-redis logs through one process-wide logger.
var (
	redisLog     atomic.Pointer[slog.Logger]
	redisLogOnce sync.Once
)

type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if l := redisLog.Load(); l != nil {
		l.Log(ctx, slog.LevelDebug, "go-redis: "+fmt.Sprintf(format, v...))
	}
}

func setRedisLogger(l *slog.Logger) {
	redisLog.Store(l)
	redisLogOnce.Do(func() { redis.SetLogger(redisLogger{}) })
}
