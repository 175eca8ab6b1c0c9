// How the tool reads parley's answers to a join: joined, refused, or sent to the room's node.
#include <gtest/gtest.h>

#include "dialect.hpp"

namespace parley::bench {
namespace {

TEST(ParleyDialect, RoomElsewhereIsARedirectToTheNamedNode) {
    const auto dialect = makeParleyDialect();
    const auto in = dialect->classify(
        R"({"type":"error","req":1,"code":"room-elsewhere","message":"m","room":"r1","url":"http://127.0.0.1:8082"})");
    EXPECT_EQ(in.kind, Incoming::Kind::Redirect);
    EXPECT_EQ(in.id, "http://127.0.0.1:8082");
}

TEST(ParleyDialect, RoomMovingIsARetryAfterTheGivenDelay) {
    const auto dialect = makeParleyDialect();
    const auto in = dialect->classify(R"({"type":"error","req":1,"code":"room-moving","retryAfterMs":250})");
    EXPECT_EQ(in.kind, Incoming::Kind::Retry);
    EXPECT_EQ(in.retryAfterMs, 250u);
    // Without a usable delay: a second, as the server's default.
    EXPECT_EQ(dialect->classify(R"({"type":"error","code":"room-moving"})").retryAfterMs, 1000u);
    EXPECT_EQ(dialect->classify(R"({"type":"error","code":"room-moving","retryAfterMs":-5})").retryAfterMs, 1000u);
    EXPECT_EQ(dialect->classify(R"({"type":"error","code":"room-moving","retryAfterMs":"x"})").retryAfterMs, 1000u);
}

TEST(ParleyDialect, OtherRefusalsStayErrorsWithTheFrame) {
    const auto dialect = makeParleyDialect();
    const std::string locked = R"({"type":"error","req":1,"code":"room-locked"})";
    EXPECT_EQ(dialect->classify(locked).kind, Incoming::Kind::Error);
    EXPECT_EQ(dialect->classify(locked).id, locked);
    // room-elsewhere without a URL cannot be followed: an error, not a redirect to nowhere.
    EXPECT_EQ(dialect->classify(R"({"type":"error","code":"room-elsewhere"})").kind, Incoming::Kind::Error);
    EXPECT_EQ(dialect->classify(R"({"type":"error","code":"room-elsewhere","url":5})").kind, Incoming::Kind::Error);
}

TEST(ParleyDialect, JoinedCarriesTheParticipantId) {
    const auto dialect = makeParleyDialect();
    const auto in = dialect->classify(R"({"type":"joined","you":{"id":"p1"},"participants":[]})");
    EXPECT_EQ(in.kind, Incoming::Kind::Joined);
    EXPECT_EQ(in.id, "p1");
    EXPECT_EQ(in.resumeToken, "");
    // The token a resume after failover will need, kept as given.
    EXPECT_EQ(dialect->classify(R"({"type":"joined","resumeToken":"p1.9f1c","you":{"id":"p1"}})").resumeToken, "p1.9f1c");
}

}  // namespace
}  // namespace parley::bench
