#include "media/ice_credentials.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace parley::media;

namespace ice_credentials_test {

bool allIceChars(const std::string& s) {
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

}  // namespace ice_credentials_test

TEST(IceCredentials, GeneratedOnesAreLongEnoughIceCharsAndFresh) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto c = generateIceCredentials();
        EXPECT_EQ(c.ufrag.size(), 8u);
        EXPECT_EQ(c.pwd.size(), 24u);
        EXPECT_TRUE(ice_credentials_test::allIceChars(c.ufrag)) << c.ufrag;
        EXPECT_TRUE(ice_credentials_test::allIceChars(c.pwd)) << c.pwd;
        EXPECT_TRUE(seen.insert(c.ufrag).second);
        EXPECT_TRUE(seen.insert(c.pwd).second);
    }
}

TEST(IceCredentials, UsernameSplitsAtTheFirstColon) {
    const auto u = parseStunUsername("srvUfrag:brwsr+/");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->local, "srvUfrag");
    EXPECT_EQ(u->remote, "brwsr+/");
    const auto odd = parseStunUsername("a:b:c");
    ASSERT_TRUE(odd);
    EXPECT_EQ(odd->local, "a");
    EXPECT_EQ(odd->remote, "b:c");
    EXPECT_FALSE(parseStunUsername(""));
    EXPECT_FALSE(parseStunUsername("nocolon"));
    EXPECT_FALSE(parseStunUsername(":remote"));
    EXPECT_FALSE(parseStunUsername("local:"));
}
