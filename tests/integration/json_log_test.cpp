// --log-format json: every line is one JSON object whose level is spelled as --log-level
// spells it ("warn").
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "http_get.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::itest {
namespace {

class JsonLog : public ::testing::Test {};

TEST_F(JsonLog, LinesAreObjectsWithTheFlagsLevelNames) {
    const auto dir = makeTempDir("parley-jsonlog");
    const auto logPath = dir + "/log";
    {
        ServerProcess server({"--log-format", "json"}, logPath);
        HttpCall foreign;
        foreign.headers.emplace_back("Host", "rebind.attacker.example");
        ASSERT_EQ(httpCall(server.port(), foreign).status, 421u);  // logged as a warning
        server.stop();
    }
    std::ifstream in(logPath);
    std::string line;
    int warnings = 0;
    int lines = 0;
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
    }
    EXPECT_GE(lines, 1);
    EXPECT_GE(warnings, 1) << "the refused Host was not logged at warn";
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::itest
