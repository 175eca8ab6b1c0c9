// Which pages may open the signaling WebSocket.
#include "auth/origin_policy.hpp"

#include <gtest/gtest.h>

using namespace parley::auth;

namespace {

TEST(OriginPolicy, NormalizesOrigins) {
    EXPECT_EQ(normalizeOrigin("HTTPS://Meet.Example.org"), "https://meet.example.org");
    EXPECT_EQ(normalizeOrigin("https://meet.example.org:443"), "https://meet.example.org");
    EXPECT_EQ(normalizeOrigin("http://meet.example.org:80/"), "http://meet.example.org");
    EXPECT_EQ(normalizeOrigin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    EXPECT_EQ(normalizeOrigin("http://[::1]:8080"), "http://[::1]:8080");
    EXPECT_EQ(normalizeOrigin("https://a.example:0443"), "https://a.example");
}

TEST(OriginPolicy, RefusesWhatIsNotAnOrigin) {
    for (const char* bad : {"null", "", "meet.example.org", "ftp://a.example", "https://",
                            "https://a.example/path", "https://a.example:", "https://a.example:99999",
                            "https://a.example:0", "https://user@a.example", "https://[zz]:1",
                            "https://a example"}) {
        EXPECT_FALSE(normalizeOrigin(bad)) << bad;
    }
}

TEST(OriginPolicy, NonBrowsersWithoutOriginAreAllowed) {
    EXPECT_TRUE(isOriginAllowed(std::nullopt, "meet.example.org", {}));
}

TEST(OriginPolicy, TheServersOwnPagesAreAllowed) {
    EXPECT_TRUE(isOriginAllowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
    EXPECT_TRUE(isOriginAllowed("https://meet.example.org", "meet.example.org", {}));
    EXPECT_TRUE(isOriginAllowed("https://meet.example.org", "Meet.Example.org:443", {}));
    EXPECT_TRUE(isOriginAllowed("http://[::1]:9000", "[::1]:9000", {}));
}

TEST(OriginPolicy, OtherSitesAreRefused) {
    EXPECT_FALSE(isOriginAllowed("https://evil.example", "meet.example.org", {}));
    EXPECT_FALSE(isOriginAllowed("http://127.0.0.1:8081", "127.0.0.1:8080", {}));
    EXPECT_FALSE(isOriginAllowed("https://meet.example.org", "meet.example.org:8443", {}));
    EXPECT_FALSE(isOriginAllowed("null", "meet.example.org", {}));
    EXPECT_FALSE(isOriginAllowed("https://meet.example.org", "", {}));
}

TEST(OriginPolicy, TheAllowlistAddsOrigins) {
    OriginPolicy policy{{"https://app.example.com"}};
    EXPECT_TRUE(isOriginAllowed("https://APP.example.com:443", "meet.example.org", policy));
    EXPECT_FALSE(isOriginAllowed("http://app.example.com", "meet.example.org", policy));
    EXPECT_TRUE(isOriginAllowed("https://meet.example.org", "meet.example.org", policy));
    OriginPolicy any{{"*"}};
    EXPECT_TRUE(isOriginAllowed("https://evil.example", "meet.example.org", any));
    EXPECT_TRUE(isOriginAllowed("null", "meet.example.org", any));
}

}  // namespace
