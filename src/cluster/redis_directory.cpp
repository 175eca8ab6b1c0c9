#include "cluster/redis_directory.hpp"

#include <algorithm>
#include <memory>

namespace parley::cluster {

namespace {

// KEYS: node hash, id set. ARGV: instance, record, ttl ms, id, now ms.
constexpr const char* kAnnounce = R"lua(
local holder = redis.call('HGET', KEYS[1], 'instance')
if holder and holder ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'instance', ARGV[1], 'record', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
return 1
)lua";

// KEYS: node hash, id set. ARGV: instance, id.
constexpr const char* kWithdraw = R"lua(
if redis.call('HGET', KEYS[1], 'instance') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
)lua";

// KEYS: id set. ARGV: the node hashes' key prefix. The hashes are named from the set rather
// than passed as KEYS: which ids exist is what this asks.
constexpr const char* kLiveNodes = R"lua(
local records = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local record = redis.call('HGET', ARGV[1] .. id, 'record')
  if record then records[#records + 1] = record else redis.call('ZREM', KEYS[1], id) end
end
return records
)lua";

// KEYS: lease. ARGV: owner, ttl ms. Set if absent; the holder's own acquire extends it.
constexpr const char* kAcquire = R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return holder
)lua";

// KEYS: leases. ARGV: owner, ttl ms. kAcquire for each key; the holders, in order.
constexpr const char* kAcquireMany = R"lua(
local holders = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
    holders[i] = ARGV[1]
  else
    local holder = redis.call('GET', key)
    if holder == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
    holders[i] = holder or ''
  end
end
return holders
)lua";

// Leases per kAcquireMany: Redis runs a script alone, so a node holding many rooms renews them
// in slices that each keep it busy well under a millisecond.
constexpr std::size_t kLeasesPerScript = 256;

// KEYS: lease. ARGV: owner, ttl ms.
constexpr const char* kRenew = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
)lua";

// KEYS: lease. ARGV: owner.
constexpr const char* kRelease = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
)lua";

// KEYS: lease, state. ARGV: owner, state, ttl ms. Fenced: only the lease's holder writes.
constexpr const char* kSaveState = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
)lua";

// KEYS: lease, state. ARGV: owner.
constexpr const char* kCloseRoom = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2], KEYS[1])
return 1
)lua";

DirectoryError badReply(const char* what, const RespValue& reply) {
    return DirectoryError{DirectoryError::Code::BadReply, std::string(what) + ": unexpected reply " + describe(reply)};
}

// An error reply (-LOADING, -NOAUTH, -READONLY, -OOM ...) means Redis cannot serve this now.
std::optional<DirectoryError> errorOf(const RedisConnection::Reply& reply) {
    if (!reply.ok()) return reply.error();
    if (reply.value().isError()) {
        return DirectoryError{DirectoryError::Code::Unavailable, "Redis answered " + reply.value().text};
    }
    return std::nullopt;
}

std::vector<std::string> eval(const char* script, std::vector<std::string> keys, std::vector<std::string> args) {
    std::vector<std::string> argv{"EVAL", script, std::to_string(keys.size())};
    argv.insert(argv.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
    argv.insert(argv.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
    return argv;
}

// Integer replies 0/1 as a boolean.
RedisConnection::ReplyCallback asFlag(const char* what, DirectoryCallback<bool> done) {
    return [what, done = std::move(done)](RedisConnection::Reply reply) {
        if (auto error = errorOf(reply)) return done(*error);
        if (reply.value().kind != RespValue::Kind::Integer) return done(badReply(what, reply.value()));
        done(reply.value().integer != 0);
    };
}

std::string ms(std::chrono::milliseconds duration) { return std::to_string(std::max<long long>(duration.count(), 1)); }

}  // namespace

RedisDirectory::RedisDirectory(RedisConnection& connection, std::string keyPrefix)
    : connection_(connection), prefix_(std::move(keyPrefix)) {}

ClusterDirectory::ListenerId RedisDirectory::addReachabilityListener(std::function<void(bool)> listener) {
    return connection_.addStateListener(std::move(listener));
}

void RedisDirectory::removeReachabilityListener(ListenerId id) { connection_.removeStateListener(id); }

void RedisDirectory::announce(const NodeRecord& node, std::chrono::milliseconds timeToLive,
                              DirectoryCallback<AnnounceOutcome> done) {
    connection_.command(eval(kAnnounce, {nodeKey(node.id), nodesKey()},
                             {node.instance, encodeNodeRecord(node), ms(timeToLive), node.id,
                              std::to_string(node.announcedAtMs)}),
                        [done = std::move(done)](RedisConnection::Reply reply) {
                            if (auto error = errorOf(reply)) return done(*error);
                            if (reply.value().kind != RespValue::Kind::Integer) {
                                return done(badReply("announce", reply.value()));
                            }
                            done(reply.value().integer == 1 ? AnnounceOutcome::Announced : AnnounceOutcome::IdTaken);
                        });
}

void RedisDirectory::withdraw(const std::string& nodeId, const std::string& instance, DirectoryCallback<bool> done) {
    connection_.command(eval(kWithdraw, {nodeKey(nodeId), nodesKey()}, {instance, nodeId}),
                        asFlag("withdraw", std::move(done)));
}

void RedisDirectory::liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) {
    connection_.command(
        eval(kLiveNodes, {nodesKey()}, {prefix_ + "node:"}), [done = std::move(done)](RedisConnection::Reply reply) {
            if (auto error = errorOf(reply)) return done(*error);
            if (reply.value().kind != RespValue::Kind::Array) return done(badReply("list nodes", reply.value()));
            std::vector<NodeRecord> nodes;
            for (const auto& element : reply.value().elements) {
                // A record this version cannot read (another version's, or someone else's key)
                // is left out rather than failing the whole list.
                if (element.kind != RespValue::Kind::Bulk) continue;
                if (auto record = decodeNodeRecord(element.text)) nodes.push_back(std::move(*record));
            }
            std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
            done(std::move(nodes));
        });
}

void RedisDirectory::acquireLease(const std::string& room, const std::string& owner,
                                  std::chrono::milliseconds timeToLive, DirectoryCallback<LeaseOutcome> done) {
    connection_.command(eval(kAcquire, {leaseKey(room)}, {owner, ms(timeToLive)}),
                        [owner, done = std::move(done)](RedisConnection::Reply reply) {
                            if (auto error = errorOf(reply)) return done(*error);
                            if (reply.value().kind != RespValue::Kind::Bulk) {
                                return done(badReply("acquire lease", reply.value()));
                            }
                            const auto& holder = reply.value().text;
                            done(LeaseOutcome{holder == owner, holder});
                        });
}

void RedisDirectory::acquireLeases(const std::vector<std::string>& rooms, const std::string& owner,
                                   std::chrono::milliseconds timeToLive,
                                   DirectoryCallback<std::vector<LeaseOutcome>> done) {
    struct Batch {
        std::vector<LeaseOutcome> outcomes;
        std::size_t pending = 0;
        std::optional<DirectoryError> error;
        DirectoryCallback<std::vector<LeaseOutcome>> done;
    };
    auto batch = std::make_shared<Batch>();
    batch->outcomes.resize(rooms.size());
    batch->done = std::move(done);
    if (rooms.empty()) return batch->done(std::vector<LeaseOutcome>{});
    batch->pending = (rooms.size() + kLeasesPerScript - 1) / kLeasesPerScript;
    for (std::size_t first = 0; first < rooms.size(); first += kLeasesPerScript) {
        const std::size_t count = std::min(kLeasesPerScript, rooms.size() - first);
        std::vector<std::string> keys;
        keys.reserve(count);
        for (std::size_t i = first; i < first + count; ++i) keys.push_back(leaseKey(rooms[i]));
        connection_.command(
            eval(kAcquireMany, std::move(keys), {owner, ms(timeToLive)}),
            [batch, owner, first, count](RedisConnection::Reply reply) {
                if (auto error = errorOf(reply)) {
                    if (!batch->error) batch->error = *error;
                } else if (reply.value().kind != RespValue::Kind::Array || reply.value().elements.size() != count) {
                    if (!batch->error) batch->error = badReply("acquire leases", reply.value());
                } else {
                    for (std::size_t i = 0; i < count; ++i) {
                        const auto& holder = reply.value().elements[i].text;
                        batch->outcomes[first + i] = LeaseOutcome{holder == owner, holder};
                    }
                }
                if (--batch->pending > 0) return;
                if (batch->error) return batch->done(*batch->error);
                batch->done(std::move(batch->outcomes));
            });
    }
}

void RedisDirectory::renewLease(const std::string& room, const std::string& owner,
                                std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) {
    connection_.command(eval(kRenew, {leaseKey(room)}, {owner, ms(timeToLive)}), asFlag("renew lease", std::move(done)));
}

void RedisDirectory::releaseLease(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) {
    connection_.command(eval(kRelease, {leaseKey(room)}, {owner}), asFlag("release lease", std::move(done)));
}

void RedisDirectory::leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) {
    connection_.command({"GET", leaseKey(room)}, [done = std::move(done)](RedisConnection::Reply reply) {
        if (auto error = errorOf(reply)) return done(*error);
        if (reply.value().isNil()) return done(std::optional<std::string>{});
        if (reply.value().kind != RespValue::Kind::Bulk) return done(badReply("lease owner", reply.value()));
        done(std::optional<std::string>(reply.value().text));
    });
}

void RedisDirectory::saveRoomState(const std::string& room, const std::string& owner, const std::string& state,
                                   std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) {
    connection_.command(eval(kSaveState, {leaseKey(room), stateKey(room)}, {owner, state, ms(timeToLive)}),
                        asFlag("save room state", std::move(done)));
}

void RedisDirectory::loadRoomState(const std::string& room, DirectoryCallback<std::optional<std::string>> done) {
    connection_.command({"GET", stateKey(room)}, [done = std::move(done)](RedisConnection::Reply reply) {
        if (auto error = errorOf(reply)) return done(*error);
        if (reply.value().isNil()) return done(std::optional<std::string>{});
        if (reply.value().kind != RespValue::Kind::Bulk) return done(badReply("load room state", reply.value()));
        done(std::optional<std::string>(std::move(reply.value().text)));
    });
}

void RedisDirectory::closeRoom(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) {
    connection_.command(eval(kCloseRoom, {leaseKey(room), stateKey(room)}, {owner}), asFlag("close room", std::move(done)));
}

}  // namespace parley::cluster
