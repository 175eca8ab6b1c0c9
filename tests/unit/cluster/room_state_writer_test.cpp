// Keeping rooms' durable state in the directory: written after each change, coalesced while a
// write is on its way, fenced by the lease, written again when the store comes back, and all
// written at once before a node hands its rooms on. On the in-memory directory.
#include "cluster/room_state_writer.hpp"

#include <gtest/gtest.h>

#include <map>

#include "switchable_directory.hpp"

using namespace parley;
using namespace parley::cluster;

class RoomStateWriterTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    core::ManualClock clock;
    SwitchableDirectory directory{clock};
    std::map<std::string, int> version;  // what capture() reports for each room
    int captures = 0;
    RoomStateWriter writer{io, directory, "a", [this](const core::RoomId& room) -> std::optional<std::string> {
                               ++captures;
                               auto it = version.find(room);
                               if (it == version.end()) return std::nullopt;
                               return room + "@" + std::to_string(it->second);
                           }};

    void SetUp() override { hold("maths"); }
    void hold(const std::string& room) {
        directory.acquireLease(room, "a", std::chrono::milliseconds(6000), [](auto) {});
    }
    void settle() {
        io.restart();
        io.poll();
    }
    std::optional<std::string> stored(const std::string& room) {
        std::optional<std::string> state;
        directory.loadRoomState(room, [&](auto r) { state = r.value(); });
        return state;
    }
};

TEST_F(RoomStateWriterTest, EachCommandsChangeIsWrittenOnceAfterIt) {
    version["maths"] = 1;
    writer.roomOpened("maths");
    writer.roomChanged("maths");
    EXPECT_EQ(directory.saves, 0) << "never from inside the observer call";
    settle();
    EXPECT_EQ(directory.saves, 1) << "opened and changed in one turn: one write";
    EXPECT_EQ(stored("maths"), "maths@1");
    version["maths"] = 2;
    writer.roomChanged("maths");
    settle();
    EXPECT_EQ(stored("maths"), "maths@2");
    EXPECT_EQ(writer.counters().written, 2u);
}

TEST_F(RoomStateWriterTest, ChangesWhileAWriteIsOnItsWayAreWrittenOnceMoreAfterIt) {
    directory.holdAnswers = true;
    version["maths"] = 1;
    writer.roomOpened("maths");
    settle();
    EXPECT_EQ(directory.saves, 1);
    for (int v = 2; v <= 5; ++v) {
        version["maths"] = v;
        writer.roomChanged("maths");
        settle();
    }
    EXPECT_EQ(directory.saves, 1) << "one write in flight per room";
    directory.holdAnswers = false;
    auto answers = std::move(directory.held);
    for (auto& answer : answers) answer();
    settle();
    EXPECT_EQ(directory.saves, 2) << "the four changes: one more write";
    EXPECT_EQ(stored("maths"), "maths@5");
}

TEST_F(RoomStateWriterTest, ANodeWithoutTheLeaseWritesNothing) {
    version["art"] = 1;  // a never took art's lease: b holds it
    directory.acquireLease("art", "b", std::chrono::milliseconds(6000), [](auto) {});
    writer.roomOpened("art");
    settle();
    EXPECT_EQ(stored("art"), std::nullopt);
    EXPECT_EQ(writer.counters().fenced, 1u);
}

TEST_F(RoomStateWriterTest, WhatCouldNotBeWrittenIsWrittenWhenTheStoreComesBack) {
    writer.start();
    version["maths"] = 1;
    directory.setUp(false);
    writer.roomOpened("maths");
    settle();
    EXPECT_EQ(writer.counters().failed, 1u);
    version["maths"] = 2;
    directory.setUp(true);
    settle();
    EXPECT_EQ(stored("maths"), "maths@2");
}

TEST_F(RoomStateWriterTest, AClosedRoomIsNotWrittenAgain) {
    version["maths"] = 1;
    writer.roomOpened("maths");
    writer.roomClosed("maths");
    settle();
    EXPECT_EQ(directory.saves, 0);
}

TEST_F(RoomStateWriterTest, WriteAllWritesEveryOpenRoomAndSaysWhenAllAreAnswered) {
    hold("art");
    version["maths"] = 1;
    version["art"] = 1;
    writer.roomOpened("maths");
    writer.roomOpened("art");
    settle();
    version["maths"] = 7;
    version["art"] = 3;
    directory.holdAnswers = true;
    bool done = false;
    writer.writeAll([&] { done = true; });
    EXPECT_FALSE(done);
    auto answers = std::move(directory.held);
    for (auto& answer : answers) answer();
    EXPECT_TRUE(done);
    EXPECT_EQ(stored("maths"), "maths@7");
    EXPECT_EQ(stored("art"), "art@3");
    bool none = false;
    RoomStateWriter idle{io, directory, "a", [](const core::RoomId&) { return std::nullopt; }};
    idle.writeAll([&] { none = true; });
    EXPECT_TRUE(none) << "nothing open: done at once";
}
