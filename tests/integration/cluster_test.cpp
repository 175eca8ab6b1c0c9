// Several parley processes sharing one real redis-server (started by the test on a free
// loopback port): they list each other in /admin/cluster with their load; a duplicate
// --node-id is refused; Redis killed → /ready says degraded and joins still work; Redis back
// → every node is listed again, and rooms' state is written again. Without --redis, a node lists
// itself alone. The room's node killed (-9) → another node takes the room over from the state
// it kept in Redis, and people resume there with their tokens (seats, line, timer, chat); a
// node stopped with SIGTERM hands its rooms on at once.
#include <csignal>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_get.hpp"
#include "peer.hpp"
#include "redis_server_process.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

constexpr const char* kClusterAdmin = "Bearer cluster-admin";
// Announcements are every 2 s and a listing follows each: a few beats is plenty.
constexpr auto kClusterWait = std::chrono::seconds(15);

std::unique_ptr<ServerProcess> startClusterNode(const std::string& redisUrl, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--admin-token", "cluster-admin"};
    if (!redisUrl.empty()) args.insert(args.end(), {"--redis", redisUrl});
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(args);
}

json::object clusterOf(const ServerProcess& node) {
    const auto response = httpGet(node.port(), "/admin/cluster", kClusterAdmin);
    if (response.status != 200) throw std::runtime_error("/admin/cluster: " + std::to_string(response.status));
    return json::parse(response.body).as_object();
}

std::string readyStatus(const ServerProcess& node) {
    const auto response = httpGet(node.port(), "/ready");
    return std::to_string(response.status) + " " + response.body;
}

// Polls `check` (bounded) until it holds; the last value it saw is in `last` for the message.
bool eventuallyInCluster(const std::function<bool()>& check) {
    const auto deadline = std::chrono::steady_clock::now() + kClusterWait;
    while (!check()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// The ids listed, in order.
std::vector<std::string> clusterIds(const json::object& cluster) {
    std::vector<std::string> ids;
    for (const auto& node : cluster.at("nodes").as_array()) ids.emplace_back(node.at("id").as_string());
    return ids;
}

const json::object* clusterNode(const json::object& cluster, std::string_view id) {
    for (const auto& node : cluster.at("nodes").as_array()) {
        if (node.at("id").as_string() == id) return &node.as_object();
    }
    return nullptr;
}

class Cluster : public ::testing::Test {
protected:
    void SetUp() override {
        if (!RedisServerProcess::executable()) GTEST_SKIP() << "redis-server is not installed (apt-get install redis-server)";
        redis_ = std::make_unique<RedisServerProcess>();
    }
    std::unique_ptr<RedisServerProcess> redis_;
};

TEST_F(Cluster, NodesSharingRedisListEachOtherWithTheirLoad) {
    auto alpha = startClusterNode(redis_->url(), {"--node-id", "alpha", "--public-url", "https://alpha.example.org"});
    auto other = startClusterNode(redis_->url());  // no --node-id: a random one
    json::object seen;
    ASSERT_TRUE(eventuallyInCluster([&] {
        seen = clusterOf(*other);
        return seen.at("nodes").as_array().size() == 2;
    })) << json::serialize(seen);
    const std::string otherId(seen.at("self").as_string());
    EXPECT_TRUE(otherId.starts_with("node-")) << otherId;
    EXPECT_EQ(seen.at("store"), "redis");
    EXPECT_EQ(seen.at("reachable"), true);
    const auto* listedAlpha = clusterNode(seen, "alpha");
    ASSERT_NE(listedAlpha, nullptr) << json::serialize(seen);
    EXPECT_EQ(listedAlpha->at("self"), false);
    EXPECT_EQ(listedAlpha->at("publicUrl"), "https://alpha.example.org");
    EXPECT_TRUE(listedAlpha->at("lastSeenMs").is_int64());
    EXPECT_TRUE(listedAlpha->at("load").as_object().contains("cpuPercent"));
    EXPECT_EQ(clusterNode(seen, otherId)->at("self"), true);

    {
        // Alpha's load as the other node sees it: a participant joins alpha.
        Peer alice(alpha->port());
        alice.join(uniqueRoom("cluster-load"), "Alice");
        ASSERT_TRUE(eventuallyInCluster([&] {
            seen = clusterOf(*other);
            const auto* node = clusterNode(seen, "alpha");
            return node && node->at("load").at("participants") == 1 && node->at("load").at("rooms") == 1;
        })) << json::serialize(seen);
    }

    // Alpha's own view agrees on who is who.
    ASSERT_TRUE(eventuallyInCluster([&] { return clusterIds(clusterOf(*alpha)).size() == 2; }));
    EXPECT_EQ(clusterOf(*alpha).at("self"), "alpha");
    EXPECT_EQ(readyStatus(*alpha), R"(200 {"status":"ready"})");

    // A node that stops withdraws at once.
    alpha->stop();
    ASSERT_TRUE(eventuallyInCluster([&] { return clusterIds(clusterOf(*other)) == std::vector<std::string>{otherId}; }))
        << json::serialize(clusterOf(*other));
}

TEST_F(Cluster, ASecondNodeWithTheSameIdIsNotListedInItsPlace) {
    auto first = startClusterNode(redis_->url(), {"--node-id", "twin"});
    ASSERT_TRUE(eventuallyInCluster([&] { return clusterIds(clusterOf(*first)) == std::vector<std::string>{"twin"}; }));
    auto second = startClusterNode(redis_->url(), {"--node-id", "twin"});
    json::object seen;
    ASSERT_TRUE(eventuallyInCluster([&] {
        seen = clusterOf(*second);
        // Refused, and listed since (the list follows the refused announcement).
        return seen.at("idTaken") == true && !seen.at("nodes").as_array().empty();
    })) << json::serialize(seen);
    ASSERT_EQ(clusterIds(seen), std::vector<std::string>{"twin"});
    EXPECT_EQ(seen.at("nodes").as_array()[0].at("self"), false);  // the listed twin is the first
    EXPECT_EQ(clusterOf(*first).at("idTaken"), false);
}

TEST_F(Cluster, WithRedisGoneNodesDegradeAndServeAndReturnWhenItIsBack) {
    auto a = startClusterNode(redis_->url(), {"--node-id", "a"});
    auto b = startClusterNode(redis_->url(), {"--node-id", "b"});
    ASSERT_TRUE(eventuallyInCluster([&] { return clusterIds(clusterOf(*a)).size() == 2 && clusterIds(clusterOf(*b)).size() == 2; }));

    redis_->kill();
    std::string ready;
    ASSERT_TRUE(eventuallyInCluster([&] {
        ready = readyStatus(*a);
        return ready == R"(200 {"status":"degraded","reason":"redis-unreachable"})";
    })) << ready;
    ASSERT_TRUE(eventuallyInCluster([&] { return readyStatus(*b).find("degraded") != std::string::npos; }));
    EXPECT_EQ(clusterOf(*a).at("reachable"), false);

    // Still serving: people join and meet on each node.
    const auto room = uniqueRoom("cluster-outage");
    Peer alice(a->port());
    alice.join(room, "Alice");
    Peer bob(a->port());
    bob.join(room, "Bob");
    EXPECT_EQ(str(field(alice.expect("participant-joined"), "participant").as_object(), "name"), "Bob");
    Peer carol(b->port());
    carol.join(uniqueRoom("cluster-outage-b"), "Carol");

    // Redis back (empty: nothing persisted): both nodes announce again and list each other.
    redis_->restart();
    json::object seen;
    ASSERT_TRUE(eventuallyInCluster([&] {
        seen = clusterOf(*a);
        return seen.at("reachable") == true && clusterIds(seen) == std::vector<std::string>{"a", "b"} &&
               clusterIds(clusterOf(*b)) == std::vector<std::string>{"a", "b"};
    })) << json::serialize(seen) << "\n" << redis_->log();
    EXPECT_EQ(readyStatus(*a), R"(200 {"status":"ready"})");
    EXPECT_EQ(readyStatus(*b), R"(200 {"status":"ready"})");
    // And the calls of the outage went on.
    alice.expectNothingPending();
    // The room opened during the outage is held and its state written, now that Redis is back.
    std::string stored;
    ASSERT_TRUE(eventuallyInCluster([&] {
        stored = redis_->rawCommand({"GET", "parley:room:" + room});
        return stored.find("\"name\":\"Bob\"") != std::string::npos;
    })) << stored;
    EXPECT_EQ(redis_->rawCommand({"GET", "parley:lease:" + room}), "$1\r\na\r\n");
}

TEST_F(Cluster, PeopleJoiningThroughDifferentNodesAreSentToTheRoomsNodeAndMeetThere) {
    auto alpha = startClusterNode(redis_->url(), {"--node-id", "alpha", "--public-url", "https://alpha.example.org"});
    auto beta = startClusterNode(redis_->url(), {"--node-id", "beta", "--public-url", "https://beta.example.org"});
    ASSERT_TRUE(eventuallyInCluster([&] {
        return clusterIds(clusterOf(*alpha)).size() == 2 && clusterIds(clusterOf(*beta)).size() == 2;
    }));
    const auto room = uniqueRoom("cluster-placed");
    const json::object join{{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Alice"},
                            {"media", {{"mic", true}, {"cam", true}, {"screen", false}}}};
    // Both idle: the new room goes to alpha (equal loads go by id), so Alice, asking beta, is
    // sent there; her connection to beta carries on.
    Peer aliceAtBeta(beta->port());
    const auto sent = aliceAtBeta.expectRefusal(join, "room-elsewhere");
    EXPECT_EQ(str(sent, "url"), "https://alpha.example.org");
    EXPECT_EQ(str(sent, "room"), room);
    EXPECT_EQ(str(aliceAtBeta.request({{"type", "ping"}}), "type"), "pong");

    Peer alice(alpha->port());
    alice.join(room, "Alice");
    // Bob asks beta too, and is sent to alpha as well, however the loads stand now.
    Peer bobAtBeta(beta->port());
    json::object bobJoin = join;
    bobJoin["name"] = "Bob";
    EXPECT_EQ(str(bobAtBeta.expectRefusal(bobJoin, "room-elsewhere"), "url"), "https://alpha.example.org");
    Peer bob(alpha->port());
    bob.join(room, "Bob");
    EXPECT_EQ(str(field(alice.expect("participant-joined"), "participant").as_object(), "name"), "Bob");
    // And they talk: a relayed offer reaches the other.
    alice.send({{"type", "offer"}, {"to", bob.id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(str(bob.expect("offer"), "from"), alice.id());

    // Another new room, asked at alpha, which now holds two people: it goes to beta.
    Peer carolAtAlpha(alpha->port());
    json::object carolJoin = join;
    carolJoin["room"] = uniqueRoom("cluster-placed-2");
    carolJoin["name"] = "Carol";
    ASSERT_TRUE(eventuallyInCluster([&] {  // once alpha has announced its two people
        const json::object seen = clusterOf(*alpha);
        const auto* listed = clusterNode(seen, "alpha");
        return listed && listed->at("load").at("participants") == 2;
    }));
    EXPECT_EQ(str(carolAtAlpha.expectRefusal(carolJoin, "room-elsewhere"), "url"), "https://beta.example.org");
    Peer carol(beta->port());
    carol.join(str(carolJoin, "room"), "Carol");
    const auto metrics = httpGet(beta->port(), "/metrics").body;
    EXPECT_NE(metrics.find("parley_cluster_rooms_held 1"), std::string::npos) << metrics;

    // Each node lists its rooms, and a room's trace asked at the other node is sent to its node.
    ASSERT_TRUE(eventuallyInCluster([&] {
        const json::object seen = clusterOf(*beta);
        const auto* listed = clusterNode(seen, "alpha");
        return listed && listed->at("rooms").as_array().size() == 1 && listed->at("rooms").as_array()[0].as_string() == room;
    }));
    const auto sentOn = httpGet(beta->port(), "/admin/rooms/" + room + "/trace", kClusterAdmin);
    EXPECT_EQ(sentOn.status, 307u) << sentOn.body;
    EXPECT_EQ(sentOn.location, "https://alpha.example.org/admin/rooms/" + room + "/trace");
    EXPECT_EQ(httpGet(alpha->port(), "/admin/rooms/" + room + "/trace", kClusterAdmin).status, 200u);
    EXPECT_EQ(httpGet(beta->port(), "/admin/rooms/no-such-room/trace", kClusterAdmin).status, 404u);
}

// Sends a resume naming its room until it is answered `resumed` (bounded): while the dead
// node's record or lease lives, nodes answer room-elsewhere (to the dead node) or room-moving.
json::object resumeThrough(Peer& peer, json::object resume) {
    const auto deadline = std::chrono::steady_clock::now() + kClusterWait;
    for (;;) {
        json::object reply = peer.tryResume(resume);
        if (str(reply, "type") == "resumed") return reply;
        const std::string code = str(reply, "code");
        if (code != "room-moving" && code != "room-elsewhere") return reply;
        if (std::chrono::steady_clock::now() >= deadline) return reply;
        std::this_thread::sleep_for(std::chrono::milliseconds(code == "room-moving" ? 200 : 100));
    }
}

TEST_F(Cluster, WhenTheRoomsNodeDiesAnotherRestoresItAndPeopleResumeThereWithTheirTokens) {
    auto a = startClusterNode(redis_->url(), {"--node-id", "a", "--public-url", "https://a.example.org"});
    auto b = startClusterNode(redis_->url(), {"--node-id", "b", "--public-url", "https://b.example.org"});
    auto c = startClusterNode(redis_->url(), {"--node-id", "c", "--public-url", "https://c.example.org"});
    ASSERT_TRUE(eventuallyInCluster([&] {
        return clusterIds(clusterOf(*a)).size() == 3 && clusterIds(clusterOf(*b)).size() == 3 &&
               clusterIds(clusterOf(*c)).size() == 3;
    }));
    // All idle: the room goes to a (equal loads go by id). Two seats, a password, a timer.
    const auto room = uniqueRoom("cluster-failover");
    Peer ann(a->port());
    const auto joined = ann.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Ann"},
                                     {"password", "pw"},
                                     {"settings", {{"password", "pw"}, {"seats", 2}, {"sessionSeconds", 3600}}}});
    ASSERT_EQ(str(joined, "type"), "joined") << json::serialize(joined);
    const auto annToken = str(joined, "resumeToken");
    const auto annId = str(field(joined, "you").as_object(), "id");
    const auto sessionEndsAt = field(joined, "state").as_object().at("sessionEndsAt").as_int64();
    Peer ben(a->port());
    const auto benJoined = ben.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Ben"}, {"password", "pw"}});
    ASSERT_EQ(str(benJoined, "type"), "joined") << json::serialize(benJoined);
    const auto benToken = str(benJoined, "resumeToken");
    std::vector<std::string> lineTokens;
    std::vector<std::unique_ptr<Peer>> line;
    for (const char* name : {"Cy", "Dee"}) {
        line.push_back(std::make_unique<Peer>(a->port()));
        const auto waiting =
            line.back()->request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", name}, {"password", "pw"}});
        ASSERT_EQ(str(waiting, "type"), "waiting") << json::serialize(waiting);
        lineTokens.push_back(str(waiting, "resumeToken"));
    }
    ann.send({{"type", "chat"}, {"text", "before the crash"}});
    std::uint64_t benSaw = 0;
    for (;;) {  // Ben's events up to the chat message: what his page processed
        const auto event = ben.next();
        if (event.contains("seq")) benSaw = static_cast<std::uint64_t>(event.at("seq").as_int64());
        if (str(event, "type") == "chat") break;
    }
    // Written to Redis by a, as it changed.
    std::string stored;
    ASSERT_TRUE(eventuallyInCluster([&] {
        stored = redis_->rawCommand({"GET", "parley:room:" + room});
        return stored.find("before the crash") != std::string::npos;
    })) << stored;
    EXPECT_EQ(stored.find("\"pw\""), std::string::npos) << "the password only as its hash";

    a->sendSignal(SIGKILL);
    ASSERT_TRUE(a->waitForExit(std::chrono::seconds(5)));

    // Ben's page reconnects to b with what it saw: b takes the room over and he is back.
    Peer benAtB(b->port());
    const auto resumed = resumeThrough(
        benAtB, {{"type", "resume"}, {"token", benToken}, {"lastSeq", benSaw}, {"room", room}});
    ASSERT_EQ(str(resumed, "type"), "resumed") << json::serialize(resumed);
    EXPECT_GE(static_cast<std::uint64_t>(resumed.at("lastSeq").as_int64()), benSaw);
    const auto& picture = resumed.at("snapshot").as_object();
    EXPECT_EQ(picture.at("you").at("role"), "guest");
    EXPECT_EQ(picture.at("host").as_string(), annId);
    ASSERT_EQ(picture.at("chat").as_array().size(), 1u);
    EXPECT_EQ(picture.at("chat").as_array()[0].at("text"), "before the crash");
    EXPECT_EQ(picture.at("state").at("sessionEndsAt").as_int64(), sessionEndsAt) << "the same deadline";
    EXPECT_TRUE(!picture.contains("queue") || picture.at("queue").as_array().empty()) << "a guest sees no line";

    // Cy's page (reloaded) asks c: the room is b's now, so c sends it there; in line where it was.
    Peer cyAtC(c->port());
    const auto sent = cyAtC.expectRefusal(
        {{"type", "resume"}, {"token", lineTokens[0]}, {"snapshot", true}, {"room", room}}, "room-elsewhere");
    EXPECT_EQ(str(sent, "url"), "https://b.example.org");
    for (std::size_t i = 0; i < lineTokens.size(); ++i) {
        Peer waiter(b->port());
        const auto back = waiter.tryResume({{"type", "resume"}, {"token", lineTokens[i]}, {"snapshot", true}, {"room", room}});
        ASSERT_EQ(str(back, "type"), "resumed") << json::serialize(back);
        EXPECT_EQ(back.at("snapshot").at("type"), "waiting");
        EXPECT_EQ(back.at("snapshot").at("position").as_int64(), static_cast<std::int64_t>(i + 1)) << "same order";
    }
    // Ann is still the host there, and the call carries on: her chat reaches Ben.
    Peer annAtB(b->port());
    const auto annBack = annAtB.tryResume({{"type", "resume"}, {"token", annToken}, {"snapshot", true}, {"room", room}});
    ASSERT_EQ(str(annBack, "type"), "resumed") << json::serialize(annBack);
    EXPECT_EQ(annBack.at("snapshot").at("you").at("role"), "host");
    EXPECT_EQ(annBack.at("snapshot").at("queue").as_array().size(), 2u);
    annAtB.send({{"type", "chat"}, {"text", "after the crash"}});
    for (;;) {
        const auto event = benAtB.next();
        if (str(event, "type") == "chat") {
            EXPECT_EQ(str(event.at("message").as_object(), "text"), "after the crash");
            break;
        }
    }
    const auto metrics = httpGet(b->port(), "/metrics").body;
    EXPECT_NE(metrics.find("parley_cluster_rooms_restored_total 1"), std::string::npos) << metrics;

    // b stops cleanly (SIGTERM): it hands the room on at once, with both messages.
    b->sendSignal(SIGTERM);
    for (Peer* peer : {&annAtB, &benAtB}) {  // closed with 1001 (going away: resume elsewhere)
        Incoming incoming;
        do incoming = peer->socket().read();
        while (incoming.kind == Incoming::Kind::Text);
        EXPECT_EQ(incoming.closeCode, 1001) << incoming.describe();
    }
    ASSERT_TRUE(b->waitForExit(std::chrono::seconds(10)));
    Peer benAtC(c->port());
    const auto handed = resumeThrough(
        benAtC, {{"type", "resume"}, {"token", benToken}, {"snapshot", true}, {"room", room}});
    ASSERT_EQ(str(handed, "type"), "resumed") << json::serialize(handed);
    EXPECT_EQ(handed.at("snapshot").at("chat").as_array().size(), 2u);
    EXPECT_EQ(redis_->rawCommand({"GET", "parley:lease:" + room}), "$1\r\nc\r\n");
}

// A join sent to whichever node holds (or is given) the room: `ports` maps public URLs to ports.
json::object joinFollowing(std::unique_ptr<Peer>& peer, const std::map<std::string, std::uint16_t>& ports,
                           std::uint16_t first, const std::string& from, const json::object& join) {
    peer = std::make_unique<Peer>(first, from);
    for (int hop = 0; hop < 3; ++hop) {
        json::object reply = peer->request(join);
        if (str(reply, "type") != "error" || str(reply, "code") != "room-elsewhere") return reply;
        peer = std::make_unique<Peer>(ports.at(str(reply, "url")), from);
    }
    throw std::runtime_error("sent on too many times");
}

TEST_F(Cluster, PerAddressLimitsHoldAcrossTheNodes) {
    const std::vector<std::string> limits = {"--max-rooms-per-ip", "2", "--max-seats-per-ip", "3"};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), limits.begin(), limits.end());
        return args;
    };
    auto alpha = startClusterNode(redis_->url(), with({"--node-id", "alpha", "--public-url", "https://alpha.example.org"}));
    auto beta = startClusterNode(redis_->url(), with({"--node-id", "beta", "--public-url", "https://beta.example.org"}));
    const std::map<std::string, std::uint16_t> ports{{"https://alpha.example.org", alpha->port()},
                                                     {"https://beta.example.org", beta->port()}};
    ASSERT_TRUE(eventuallyInCluster([&] {
        return clusterIds(clusterOf(*alpha)).size() == 2 && clusterIds(clusterOf(*beta)).size() == 2;
    }));
    const auto joinOf = [](const std::string& room, const std::string& name) {
        return json::object{{"type", "join"}, {"v", 1}, {"room", room}, {"name", name}};
    };
    // One address opens two rooms, one through each node, wherever they are placed.
    std::vector<std::unique_ptr<Peer>> held(2);
    ASSERT_EQ(str(joinFollowing(held[0], ports, alpha->port(), "127.0.0.5", joinOf(uniqueRoom("quota-a"), "Q1")), "type"),
              "joined");
    ASSERT_EQ(str(joinFollowing(held[1], ports, beta->port(), "127.0.0.5", joinOf(uniqueRoom("quota-b"), "Q2")), "type"),
              "joined");
    // Once both nodes have heard what it holds (the announcements, every 2 s)...
    const auto roomsHeldBy = [&](const ServerProcess& asking, std::string_view address) {
        std::uint64_t rooms = 0;
        const json::object seen = clusterOf(asking);  // kept: the loop reads into it
        for (const auto& node : seen.at("nodes").as_array()) {
            for (const auto& a : node.at("addresses").as_array()) {
                if (a.at("address").as_string() == address) rooms += a.at("rooms").to_number<std::uint64_t>();
            }
        }
        return rooms;
    };
    ASSERT_TRUE(eventuallyInCluster([&] { return roomsHeldBy(*alpha, "127.0.0.5") == 2 && roomsHeldBy(*beta, "127.0.0.5") == 2; }));
    // ...a third room is refused on either node, and a third seat too.
    for (auto* node : {alpha.get(), beta.get()}) {
        std::unique_ptr<Peer> third;
        EXPECT_EQ(str(joinFollowing(third, ports, node->port(), "127.0.0.5", joinOf(uniqueRoom("quota-c"), "Q3")), "code"),
                  "too-many-rooms");
    }
    // Another address is not charged for it.
    std::unique_ptr<Peer> other;
    EXPECT_EQ(str(joinFollowing(other, ports, beta->port(), "127.0.0.6", joinOf(uniqueRoom("quota-d"), "O")), "type"), "joined");
}

TEST_F(Cluster, WithoutRedisANodeListsItselfAlone) {
    auto single = startClusterNode("", {"--node-id", "solo"});
    json::object seen;
    ASSERT_TRUE(eventuallyInCluster([&] {
        seen = clusterOf(*single);
        return !seen.at("nodes").as_array().empty();
    }));
    EXPECT_EQ(seen.at("store"), "memory");
    EXPECT_EQ(seen.at("reachable"), true);
    ASSERT_EQ(clusterIds(seen), std::vector<std::string>{"solo"});
    EXPECT_EQ(seen.at("nodes").as_array()[0].at("self"), true);
    EXPECT_EQ(readyStatus(*single), R"(200 {"status":"ready"})");
    // Behind the admin token like every /admin endpoint.
    EXPECT_EQ(httpGet(single->port(), "/admin/cluster", "Bearer wrong").status, 401u);
}

}  // namespace
}  // namespace parley::itest
