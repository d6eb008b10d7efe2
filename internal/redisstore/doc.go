// Package redisstore provides the Redis-backed second level of the gateway's
// record cache (a loaders.Shared), so that several replicas of odoogql share
// what they read from Odoo and learn at once of every write made through any
// of them.
//
// A Store keeps three things in one Redis database, under a key prefix
// ("odoogql:" by default):
//
//   - cached values, "<prefix>val:<key>", each with the TTL its query asked
//     for (written in the background, in pipelined batches);
//   - write generations, "<prefix>gen:<name>", the counters that are part of
//     the cache keys: a write increments them (in one Lua script, with the
//     announcement), so entries cached before it are never reached again;
//   - announcements on a Pub/Sub channel ("<prefix>bumps"): the names of the
//     counters each write moved, which every replica's subscription turns
//     into forgetting its local copy of those counters.
//
// A counter that does not exist yet starts at the Redis server's clock in
// microseconds, not at 0, so a Redis that restarts empty never hands out a
// generation a replica used before (and may still hold local entries under).
//
// Redis going away never fails a request and never slows it down for more
// than one short timeout: after any failure the store is "down" and every
// call returns at once (a miss, or an error from Bump) while a background
// probe pings Redis every Options.Backoff. When Redis answers again, the
// store replays the bumps that failed meanwhile, then tells its subscribers
// to forget every counter they hold, so nothing cached before or during the
// outage is mistaken for current data. The subscription reconnects by itself
// and does the same each time it is established again, since Pub/Sub does not
// keep the announcements a disconnected replica missed.
//
// The client is redigo (github.com/gomodule/redigo): a pool of at most
// Options.PoolSize connections for the cache operations, which never retry
// (a failure marks the store down), and one connection of its own per
// subscription. Everything the store logs goes to Options.Logger.
package redisstore
