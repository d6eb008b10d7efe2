package redisstore

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gomodule/redigo/redis"

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
	PoolSize  int // pooled connections (a subscription has its own); 0: 10 per CPU

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
//
// The query may set db, dial_timeout, read_timeout, write_timeout (a number
// of seconds or a Go duration; 0 or less: the default), pool_size and, with
// rediss://, skip_verify (true/false/1/0; any other value is false). It may
// also hold the parameters earlier versions accepted and ignored (protocol,
// client_name, max_retries, min_retry_backoff, max_retry_backoff,
// pool_fifo, pool_timeout, min_idle_conns, max_idle_conns,
// max_active_conns, conn_max_idle_time, idle_timeout, conn_max_lifetime,
// max_conn_age): they are checked, then ignored. Any other parameter is an
// error.
func ParseURL(raw string) (Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Options{}, errors.New("not a URL such as redis://:password@host:6379/0")
	}
	o, err := parseURL(u)
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
	return o, nil
}

// parseURL reads the parts of u; its errors may contain the password.
func parseURL(u *url.URL) (Options, error) {
	var o Options
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	switch u.Scheme {
	case "redis", "rediss":
		o.Network = "tcp"
		host, port := u.Hostname(), u.Port()
		if host == "" {
			host = "localhost" // refused by ParseURL, after the other checks
		}
		if port == "" {
			port = "6379"
		}
		o.Addr = net.JoinHostPort(host, port)
		switch f := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' }); len(f) {
		case 0:
		case 1:
			db, err := strconv.Atoi(f[0])
			if err != nil {
				return Options{}, fmt.Errorf("redis: invalid database number: %q", f[0])
			}
			o.DB = db
		default:
			return Options{}, fmt.Errorf("redis: invalid URL path: %s", u.Path)
		}
		if u.Scheme == "rediss" {
			o.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
	case "unix":
		o.Network = "unix"
		if strings.TrimSpace(u.Path) == "" {
			return Options{}, errors.New("redis: empty unix socket path")
		}
		o.Addr = u.Path
	default:
		return Options{}, fmt.Errorf("redis: invalid URL scheme: %s", u.Scheme)
	}

	q := query{q: u.Query()}
	if v := q.string("db"); v != "" {
		db, err := strconv.Atoi(v)
		if err != nil {
			return Options{}, fmt.Errorf("redis: invalid database number: %w", err)
		}
		o.DB = db
	}
	o.DialTimeout = q.duration("dial_timeout")
	o.ReadTimeout = positive(q.duration("read_timeout"))
	o.WriteTimeout = positive(q.duration("write_timeout"))
	o.PoolSize = q.int("pool_size")
	// Accepted for compatibility, not used.
	q.int("protocol")
	q.string("client_name")
	q.int("max_retries")
	q.duration("min_retry_backoff")
	q.duration("max_retry_backoff")
	q.bool("pool_fifo")
	q.duration("pool_timeout")
	q.int("min_idle_conns")
	q.int("max_idle_conns")
	q.int("max_active_conns")
	q.duration("conn_max_idle_time")
	q.duration("idle_timeout")
	q.duration("conn_max_lifetime")
	q.duration("max_conn_age")
	if q.err != nil {
		return Options{}, q.err
	}
	if o.TLSConfig != nil && q.has("skip_verify") {
		o.TLSConfig.InsecureSkipVerify = q.bool("skip_verify")
	}
	if rest := q.remaining(); len(rest) > 0 {
		return Options{}, fmt.Errorf("redis: unexpected option: %s", strings.Join(rest, ", "))
	}
	return o, nil
}

// query reads the parameters of a Redis URL, deleting each one it reads so
// that unknown ones are left; its first error is kept in err.
type query struct {
	q   url.Values
	err error
}

func (q *query) has(name string) bool { return len(q.q[name]) > 0 }

// string is the parameter's last value, "" when absent.
func (q *query) string(name string) string {
	vs := q.q[name]
	delete(q.q, name)
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

func (q *query) int(name string) int {
	s := q.string(name)
	if s == "" {
		return 0
	}
	i, err := strconv.Atoi(s)
	if err != nil && q.err == nil {
		q.err = fmt.Errorf("redis: invalid %s number: %s", name, err)
	}
	return i
}

// duration reads a number of seconds or a Go duration; a number of seconds
// of 0 or less is -1 ("none").
func (q *query) duration(name string) time.Duration {
	s := q.string(name)
	if s == "" {
		return 0
	}
	if i, err := strconv.Atoi(s); err == nil {
		if i <= 0 {
			return -1
		}
		return time.Duration(i) * time.Second
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		if q.err == nil {
			q.err = fmt.Errorf("redis: invalid %s duration: %w", name, err)
		}
		return 0
	}
	return d
}

func (q *query) bool(name string) bool {
	switch s := q.string(name); s {
	case "true", "1":
		return true
	case "false", "0", "":
		return false
	default:
		if q.err == nil {
			q.err = fmt.Errorf("redis: invalid %s boolean: expected true/false/1/0 or an empty string, got %q", name, s)
		}
		return false
	}
}

// remaining are the parameters not read, sorted.
func (q *query) remaining() []string {
	out := make([]string, 0, len(q.q))
	for k := range q.q {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// positive keeps a timeout from a URL unless it is "none" (-1): then the
// default applies.
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
	if o.PoolSize <= 0 {
		o.PoolSize = 10 * runtime.GOMAXPROCS(0)
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
	opt  Options
	log  *slog.Logger
	pool *redis.Pool

	ctx    context.Context // done when the store is closed
	cancel context.CancelFunc
	wg     sync.WaitGroup

	down      atomic.Bool
	outageGen atomic.Uint64 // generation handed out while down
	changed   atomic.Int64  // when the store last went down or came up, in Unix ns
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
	s := &Store{
		opt: opt, log: opt.Logger.With(slog.String("redis", opt.Addr)),
		wake: make(chan struct{}, 1), setq: make(chan setReq, opt.SetQueue),
		known: map[string]struct{}{}, pending: map[string]struct{}{}, subs: map[int]func([]string){},
	}
	// A failure is never retried here: it marks the store down, and the
	// probe retries. Waiting for a free connection is bounded by the
	// operation's context (opCtx), as the operation itself is.
	s.pool = &redis.Pool{
		DialContext:         func(ctx context.Context) (redis.Conn, error) { return s.dial(ctx, opt.ReadTimeout) },
		TestOnBorrowContext: s.testOnBorrow,
		MaxIdle:             opt.PoolSize,
		MaxActive:           opt.PoolSize,
		Wait:                true,
		IdleTimeout:         30 * time.Minute,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(2)
	go s.writer()
	go s.prober()
	pctx, cancel := s.opCtx(ctx)
	_, err := s.do(pctx, "PING")
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
	return s.pool.Close()
}

// opCtx bounds one operation: waiting for a pooled connection, dialing it,
// writing the command and reading the reply.
func (s *Store) opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opt.ReadTimeout+s.opt.WriteTimeout)
}

// dial opens a connection: authenticated, on the database, with TLS when
// configured. A reply waits at most readTimeout (0: no limit), a write at
// most WriteTimeout; ctx bounds the whole dial.
func (s *Store) dial(ctx context.Context, readTimeout time.Duration) (redis.Conn, error) {
	opts := []redis.DialOption{
		redis.DialContextFunc(s.dialNet),
		redis.DialReadTimeout(readTimeout),
		redis.DialWriteTimeout(s.opt.WriteTimeout),
		redis.DialUsername(s.opt.Username),
		redis.DialPassword(s.opt.Password), // AUTH only with a password
	}
	if s.opt.DB > 0 {
		opts = append(opts, redis.DialDatabase(s.opt.DB))
	}
	return redis.DialContext(ctx, s.opt.Network, s.opt.Addr, opts...)
}

// dialNet connects, and makes the TLS handshake, within DialTimeout.
func (s *Store) dialNet(ctx context.Context, network, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.DialTimeout)
	defer cancel()
	d := net.Dialer{KeepAlive: 5 * time.Minute}
	c, err := d.DialContext(ctx, network, addr)
	if err != nil || s.opt.TLSConfig == nil {
		return c, err
	}
	cfg := s.opt.TLSConfig
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		cfg = cfg.Clone()
		cfg.ServerName = host
	}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close()
		return nil, err
	}
	return tc, nil
}

// testOnBorrow pings a pooled connection before it is used again when it
// may have died unnoticed: it was put back before the store last went down
// or came up (Redis may have restarted since), or it has been idle for a
// minute (Redis or a proxy may have closed it). A dead connection is
// closed, and the pool tries the next one or dials.
func (s *Store) testOnBorrow(ctx context.Context, c redis.Conn, lastUsed time.Time) error {
	if time.Since(lastUsed) < time.Minute && lastUsed.UnixNano() > s.changed.Load() {
		return nil
	}
	_, err := redis.DoContext(c, ctx, "PING")
	return err
}

// do runs one command on a pooled connection within ctx.
func (s *Store) do(ctx context.Context, cmd string, args ...any) (any, error) {
	c, err := s.pool.GetContext(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return redis.DoContext(c, ctx, cmd, args...)
}

// eval runs a script on a pooled connection within ctx: EVALSHA, and EVAL
// when Redis does not have the script yet.
func (s *Store) eval(ctx context.Context, script *redis.Script, keysAndArgs ...any) (any, error) {
	c, err := s.pool.GetContext(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return script.DoContext(ctx, c, keysAndArgs...)
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
	s.changed.Store(time.Now().UnixNano())
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
	b, err := redis.Bytes(s.do(octx, "GET", s.valKey(key)))
	if err != nil {
		if !errors.Is(err, redis.ErrNil) {
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
			err := s.pipelineSets(ctx, vals)
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

// pipelineSets writes vals in one round trip: every SET is sent, then the
// replies are read. Its error is the first one, of the connection or of a
// SET.
func (s *Store) pipelineSets(ctx context.Context, vals []setReq) error {
	c, err := s.pool.GetContext(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, r := range vals {
		ms := r.ttl.Milliseconds()
		if ms < 1 {
			ms = 1 // Redis's smallest TTL
		}
		if err := c.Send("SET", s.valKey(r.key), r.val, "PX", ms); err != nil {
			return err
		}
	}
	// An empty command flushes what was sent and reads every reply.
	replies, err := redis.Values(redis.DoContext(c, ctx, ""))
	if err != nil {
		return err
	}
	for _, r := range replies {
		if err, ok := r.(redis.Error); ok {
			return err
		}
	}
	return nil
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
	genScript  = redis.NewScript(1, genSource)
	bumpScript = redis.NewScript(-1, bumpSource) // the key count comes first
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
	n, err := redis.Uint64(s.eval(octx, genScript, s.genKey(name)))
	if err == nil {
		return n
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
	args := make([]any, 0, len(names)+3)
	args = append(args, len(names))
	for _, n := range names {
		args = append(args, s.genKey(n))
	}
	args = append(args, s.opt.Channel, msg)
	octx, cancel := s.opCtx(ctx)
	defer cancel()
	if _, err := s.eval(octx, bumpScript, args...); err != nil {
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
	_, err := s.do(ctx, "PING")
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
			s.changed.Store(time.Now().UnixNano())
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
// done. The connection is the subscription's own, not a pooled one.
func (s *Store) subscribeOnce(ctx context.Context, f func([]string), ready func()) {
	dctx, cancel := s.opCtx(ctx)
	c, err := s.dial(dctx, 0) // no read timeout: silence is watched below
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			s.log.Debug("redis subscription: cannot subscribe", slog.Any("err", err))
		}
		return
	}
	psc := redis.PubSubConn{Conn: c}
	// The reader hands over what arrives until the connection fails; closing
	// the connection ends it. Receiving and sending (SUBSCRIBE, PING) may
	// run at once on a redigo connection.
	recv := make(chan any)
	go func() {
		defer close(recv)
		for {
			m := psc.Receive()
			recv <- m
			if _, ok := m.(error); ok {
				return
			}
		}
	}()
	defer func() {
		_ = c.Close()
		for range recv { // until the reader ends
		}
	}()
	if err := psc.Subscribe(s.opt.Channel); err != nil { // written within WriteTimeout
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
	// Silent for PingInterval: ping (once subscribed); silent as long again,
	// or not subscribed yet: reconnect.
	silence := time.NewTimer(s.opt.PingInterval)
	defer silence.Stop()
	pinged := false
	for {
		var msg any
		select {
		case <-ctx.Done():
			return
		case <-silence.C:
			if pinged || !up {
				s.log.Debug("redis subscription: no answer", slog.Duration("after", s.opt.PingInterval))
				return
			}
			if err := psc.Ping(""); err != nil {
				return
			}
			pinged = true
			silence.Reset(s.opt.PingInterval)
			continue
		case msg = <-recv:
		}
		pinged = false
		silence.Reset(s.opt.PingInterval)
		switch m := msg.(type) {
		case error:
			if ctx.Err() == nil {
				s.log.Debug("redis subscription: receive failed", slog.Any("err", m))
			}
			return
		case redis.Subscription:
			if m.Kind == "subscribe" && !up {
				// Counted once f forgot every counter: from then on this
				// replica misses no write.
				s.resync(f)
				up = true
				s.subscribed.Add(1)
				ready()
			}
		case redis.Message:
			var names []string
			if err := json.Unmarshal(m.Data, &names); err != nil {
				s.log.Debug("redis subscription: bad announcement", slog.String("payload", string(m.Data)))
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
	if _, err := s.do(octx, "PING"); err != nil {
		s.fail(ctx, err)
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}
