#include "cluster/cluster_membership.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "cluster/cluster_view.hpp"
#include "cluster/in_memory_directory.hpp"

using namespace parley::cluster;

namespace {

NodeRecord identity(std::string id, std::string instance) {
    NodeRecord record;
    record.id = std::move(id);
    record.instance = std::move(instance);
    record.publicUrl = "https://" + record.id + ".example";
    return record;
}

}  // namespace

class ClusterMembershipTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    parley::core::ManualClock clock;
    InMemoryDirectory directory{clock};
};


TEST_F(ClusterMembershipTest, AnnouncesWithItsLoadAndListsTheLiveNodes) {
    NodeLoad load{7, 2, 100, 50};
    ClusterMembership a(io, directory, identity("a", "ia"), [&] { return load; }, clock);
    ClusterMembership b(io, directory, identity("b", "ib"), [] { return NodeLoad{}; }, clock);
    a.start();
    b.start();
    // The in-memory directory answers at once, so each start has announced and listed.
    ASSERT_EQ(b.view().nodes.size(), 2u);
    EXPECT_EQ(b.view().nodes[0].id, "a");
    EXPECT_EQ(b.view().nodes[0].load, load);
    EXPECT_EQ(b.view().nodes[0].announcedAtMs, clock.nowMs());
    EXPECT_TRUE(b.view().reachable);
    EXPECT_EQ(b.view().listedAtMs, clock.nowMs());

    const auto body = boost::json::parse(clusterViewJson(b.view(), "memory", clock.nowMs() + 500)).as_object();
    EXPECT_EQ(body.at("self"), "b");
    EXPECT_EQ(body.at("store"), "memory");
    const auto& nodes = body.at("nodes").as_array();
    ASSERT_EQ(nodes.size(), 2u);
    EXPECT_EQ(nodes[0].at("id"), "a");
    EXPECT_EQ(nodes[0].at("self"), false);
    EXPECT_EQ(nodes[0].at("ageMs"), 500);
    EXPECT_EQ(nodes[0].at("load").at("participants"), 7);
    EXPECT_EQ(nodes[1].at("self"), true);
    EXPECT_EQ(nodes[1].at("publicUrl"), "https://b.example");

    b.stop();  // withdrawn at once, not after its time to live
    std::vector<NodeRecord> live;
    directory.liveNodes([&](DirectoryResult<std::vector<NodeRecord>> r) { live = r.value(); });
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(live[0].id, "a");
}

TEST_F(ClusterMembershipTest, ADuplicateIdIsReportedNotOverwritten) {
    ClusterMembership first(io, directory, identity("same", "one"), {}, clock);
    ClusterMembership second(io, directory, identity("same", "two"), {}, clock);
    first.start();
    second.start();
    EXPECT_FALSE(first.view().idTaken);
    EXPECT_TRUE(second.view().idTaken);
    ASSERT_EQ(second.view().nodes.size(), 1u);
    EXPECT_EQ(second.view().nodes[0].instance, "one");
    const auto body = boost::json::parse(clusterViewJson(second.view(), "memory", clock.nowMs())).as_object();
    EXPECT_EQ(body.at("idTaken"), true);
    EXPECT_EQ(body.at("nodes").as_array()[0].at("self"), false);  // the other instance, not this one
}
