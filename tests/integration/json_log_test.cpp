// --log-format json: every line is one JSON object whose level is spelled as --log-level
// spells it ("warn"), with the message's identifiers (room, id, session, ...) as fields too.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::itest {
namespace {

class JsonLog : public ::testing::Test {};

TEST_F(JsonLog, LinesAreObjectsWithTheFlagsLevelNames) {
    const auto dir = makeTempDir("parley-jsonlog");
    const auto logPath = dir + "/log";
    std::string participant;
    {
        ServerProcess server({"--log-format", "json", "--test-hooks"}, logPath);
        HttpCall foreign;
        foreign.headers.emplace_back("Host", "rebind.attacker.example");
        ASSERT_EQ(httpCall(server.port(), foreign).status, 421u);  // logged as a warning
        {
            // Cut by the test hook, logged at warn as "test hook: dropping session=S of
            // participant=P room=R".
            Peer peer(server.port());
            peer.join("json-log-room", "Ann");
            ASSERT_EQ(httpPost(server.port(), "/test/drop?room=json-log-room&participant=" + peer.id()).status, 200u);
            participant = peer.id();
        }
        server.stop();
    }
    std::ifstream in(logPath);
    std::string line;
    int warnings = 0;
    int lines = 0;
    int drops = 0;
    while (std::getline(in, line)) {
        if (line.rfind("==", 0) == 0) continue;  // a sanitizer's own report lines, if any
        ++lines;
        boost::system::error_code error;
        const auto value = boost::json::parse(line, error);
        ASSERT_FALSE(error) << "not JSON: " << line;
        const auto& object = value.as_object();
        ASSERT_TRUE(object.contains("time") && object.contains("level") && object.contains("msg")) << line;
        const std::string level(object.at("level").as_string());
        EXPECT_NE(level, "warning") << line;
        if (level == "warn") ++warnings;
        const std::string msg(object.at("msg").as_string());
        if (msg.rfind("test hook: dropping ", 0) == 0) {
            ++drops;
            ASSERT_TRUE(object.contains("room") && object.contains("participant") && object.contains("session")) << line;
            EXPECT_EQ(object.at("room").as_string(), "json-log-room") << line;
            EXPECT_EQ(object.at("participant").as_string(), participant) << line;
            EXPECT_NE(msg.find("session=" + std::string(object.at("session").as_string())), std::string::npos) << line;
        }
    }
    EXPECT_EQ(drops, 1) << "the drop was not logged with its fields";
    EXPECT_GE(lines, 1);
    EXPECT_GE(warnings, 1) << "the refused Host was not logged at warn";
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::itest
