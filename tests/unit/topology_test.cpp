// A room's topology follows the server's policy as people come and go: the room's state says
// which (so every client knows whether to connect to each other or to the server), the
// observers hear each change once, and the trace records it.
#include "protocol/gateway.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "captured_frames.hpp"

using namespace parley;
namespace json = boost::json;

struct TopologyLog : core::RoomObserver {
    std::vector<std::string> changes;
    void topologyChanged(const core::RoomId& room, core::Topology topology) override {
        changes.push_back(room + " " + std::string(core::toString(topology)));
    }
};

static core::RoomsConfig topologyConfig(core::TopologyMode mode) {
    core::RoomsConfig config{50};
    config.topology.mode = mode;
    return config;
}

struct RoomTopology : ::testing::Test {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    unit::CapturedFrames out;
    TopologyLog log;

    std::unique_ptr<protocol::Gateway> gateway(core::TopologyMode mode) {
        auto gw = std::make_unique<protocol::Gateway>(topologyConfig(mode), protocol::GatewayConfig{}, clock, ids, out);
        gw->addObserver(log);
        return gw;
    }
    static void join(protocol::Gateway& gw, protocol::SessionId s, std::string_view name) {
        gw.onText(s, R"({"type":"join","req":1,"v":1,"room":"class","name":")" + std::string(name) + R"("})");
    }
    // The topology the session's client believes in: from its last joined or room-state frame.
    std::string seenBy(protocol::SessionId s) {
        std::string seen;
        for (const json::object& o : out.frames[s]) {
            if (o.contains("state")) seen = std::string(o.at("state").at("topology").as_string());
        }
        return seen;
    }
};

TEST_F(RoomTopology, AutoIsPeerToPeerForTwoAndForwardedFromThree) {
    auto gw = gateway(core::TopologyMode::Auto);
    join(*gw, 1, "Ann");
    join(*gw, 2, "Ben");
    EXPECT_EQ(seenBy(1), "mesh");
    EXPECT_EQ(seenBy(2), "mesh");
    EXPECT_TRUE(log.changes.empty());

    join(*gw, 3, "Cat");
    for (protocol::SessionId s : {1, 2, 3}) EXPECT_EQ(seenBy(s), "forwarded") << "session " << s;
    // Those already there hear of the move before they hear of Cat, so they connect to her
    // through the server rather than directly.
    const auto& annFrames = out.frames[1];
    ASSERT_GE(annFrames.size(), 2u);
    EXPECT_EQ(annFrames[annFrames.size() - 2].at("type").as_string(), "room-state");
    EXPECT_EQ(annFrames.back().at("type").as_string(), "participant-joined");
    // The newcomer learns it from its own joined frame, not from a room-state before it.
    const json::object& first = out.frames[3].front();
    EXPECT_EQ(first.at("type").as_string(), "joined");
    EXPECT_EQ(first.at("state").at("topology").as_string(), "forwarded");

    gw->onText(3, R"({"type":"leave"})");
    EXPECT_EQ(seenBy(1), "mesh");
    EXPECT_EQ(seenBy(2), "mesh");
    EXPECT_EQ(log.changes, (std::vector<std::string>{"class forwarded", "class mesh"}));

    const core::Room* room = gw->rooms().find("class");
    ASSERT_NE(room, nullptr);
    std::vector<std::string> steps;
    for (const auto& step : room->trace().steps()) {
        if (step.kind == core::TraceKind::Topology) steps.emplace_back(step.outcome);
    }
    EXPECT_EQ(steps, (std::vector<std::string>{"forwarded", "mesh"}));
}

TEST_F(RoomTopology, ADroppedSocketKeepsTheRoomWhereItIs) {
    auto gw = gateway(core::TopologyMode::Auto);
    join(*gw, 1, "Ann");
    join(*gw, 2, "Ben");
    join(*gw, 3, "Cat");
    gw->onDisconnect(3);  // Cat keeps her seat for the grace period (a reload, a blip)
    EXPECT_EQ(seenBy(1), "forwarded");
    EXPECT_EQ(log.changes, (std::vector<std::string>{"class forwarded"}));
}

TEST_F(RoomTopology, MeshAndForwardNeverChange) {
    auto mesh = gateway(core::TopologyMode::Mesh);
    for (protocol::SessionId s : {1, 2, 3, 4}) join(*mesh, s, "P" + std::to_string(s));
    EXPECT_EQ(seenBy(4), "mesh");
    EXPECT_EQ(seenBy(1), "mesh");
    EXPECT_TRUE(log.changes.empty());

    auto forward = gateway(core::TopologyMode::Forward);
    join(*forward, 11, "Solo");
    EXPECT_EQ(seenBy(11), "forwarded");  // even alone: the server is the only peer
    join(*forward, 12, "Two");
    EXPECT_EQ(seenBy(12), "forwarded");
    EXPECT_TRUE(log.changes.empty());
}
