// The identifiers a log line carries, picked out for the JSON log's fields (app/log_fields.hpp).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "app/log_fields.hpp"

namespace parley::app {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields fieldsOf(std::string_view message) {
    Fields fields;
    forEachLogField(message, [&](std::string_view key, std::string_view value) { fields.emplace_back(key, value); });
    return fields;
}

TEST(LogFields, TheServersOwnLinesGiveTheirIdentifiers) {
    EXPECT_EQ(fieldsOf("join room=r1 id=p2 session=7 size=2"),
              (Fields{{"room", "r1"}, {"id", "p2"}, {"session", "7"}}));
    EXPECT_EQ(fieldsOf("websocket closed session=12 remote=127.0.0.1 code=4003 reason=flooding by=server"),
              (Fields{{"session", "12"}, {"remote", "127.0.0.1"}, {"code", "4003"}, {"reason", "flooding"}}));
    EXPECT_EQ(fieldsOf("relay room=a from=p1 to=p2 kind=offer bytes=900 outcome=delivered"),
              (Fields{{"room", "a"}, {"from", "p1"}, {"to", "p2"}, {"kind", "offer"}, {"outcome", "delivered"}}));
}

TEST(LogFields, PunctuationAfterAValueIsNotPartOfIt) {
    EXPECT_EQ(fieldsOf("session=3, kept sending: code=rate-limited; (room=x)"),
              (Fields{{"session", "3"}, {"code", "rate-limited"}}));
}

TEST(LogFields, OtherKeysEmptyValuesAndRepeatsAreLeftOut) {
    EXPECT_EQ(fieldsOf("size=2 ttl=60 =x room= room=r room=s msg=hi"), (Fields{{"room", "r"}}));
    EXPECT_TRUE(fieldsOf("").empty());
    EXPECT_TRUE(fieldsOf("   ").empty());
    EXPECT_TRUE(fieldsOf("no fields here").empty());
}

}  // namespace
}  // namespace parley::app
