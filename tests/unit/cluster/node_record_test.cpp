#include "cluster/node_id.hpp"
#include "cluster/node_record.hpp"

#include <set>

#include <gtest/gtest.h>

using namespace parley::cluster;

TEST(NodeRecord, RoundTrips) {
    const NodeRecord record{"node-a", "0123abcd", "https://a.example.org", {12, 3, 1500, 25}, 1'700'000'000'123};
    const auto decoded = decodeNodeRecord(encodeNodeRecord(record));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, record);
}

TEST(NodeRecord, ListsTheRoomsOpenOnTheNode) {
    NodeRecord record{"node-a", "0123abcd", "https://a.example.org", {12, 3, 1500, 25}, 1'700'000'000'123};
    record.rooms = {"art-class", "brave-otter-417", "maths"};
    const auto decoded = decodeNodeRecord(encodeNodeRecord(record));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->rooms, record.rooms);
    const std::string head = R"({"id":"a","instance":"i","publicUrl":"","announcedAtMs":1,)"
                             R"("load":{"participants":1,"rooms":0,"mediaPacketsPerSecond":0,"cpuPercent":0})";
    ASSERT_TRUE(decodeNodeRecord(head + "}")) << "an earlier version's record lists none";
    EXPECT_TRUE(decodeNodeRecord(head + "}")->rooms.empty());
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"rooms":"maths"})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"rooms":[""]})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"rooms":[7]})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"rooms":[")" + std::string(65, 'x') + R"("]})"));
}

TEST(NodeRecord, RefusesWhatItCannotRead) {
    EXPECT_FALSE(decodeNodeRecord(""));
    EXPECT_FALSE(decodeNodeRecord("[]"));
    EXPECT_FALSE(decodeNodeRecord("{\"id\":\"a\"}"));
    EXPECT_FALSE(decodeNodeRecord(R"({"id":"","instance":"i","publicUrl":"","announcedAtMs":1,)"
                                  R"("load":{"participants":0,"rooms":0,"mediaPacketsPerSecond":0,"cpuPercent":0}})"));
    EXPECT_FALSE(decodeNodeRecord(R"({"id":"a","instance":"i","publicUrl":"","announcedAtMs":1,)"
                                  R"("load":{"participants":-1,"rooms":0,"mediaPacketsPerSecond":0,"cpuPercent":0}})"));
    EXPECT_TRUE(decodeNodeRecord(R"({"id":"a","instance":"i","publicUrl":"","announcedAtMs":1,)"
                                 R"("load":{"participants":1,"rooms":0,"mediaPacketsPerSecond":0,"cpuPercent":0}})"));
}

TEST(NodeId, ValidatesAndDrawsDistinctIds) {
    EXPECT_TRUE(isValidNodeId("node-1.eu_west"));
    EXPECT_FALSE(isValidNodeId(""));
    EXPECT_FALSE(isValidNodeId("a b"));
    EXPECT_FALSE(isValidNodeId("a:b"));
    EXPECT_FALSE(isValidNodeId(std::string(65, 'a')));
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        const auto id = randomNodeId();
        EXPECT_TRUE(isValidNodeId(id)) << id;
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 1000u);
    EXPECT_EQ(randomInstanceId().size(), 32u);
}
