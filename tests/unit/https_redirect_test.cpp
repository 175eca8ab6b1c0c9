// Where plain HTTP is sent beside direct TLS (auth/https_redirect.hpp), and which ACME
// challenge tokens are answered.
#include <gtest/gtest.h>

#include <vector>

#include "auth/https_redirect.hpp"

namespace parley::auth {
namespace {

const HostPolicy kHosts{{"meet.example.org"}};

TEST(HttpsRedirect, TheSamePathOnTheRequestsHost) {
    EXPECT_EQ(httpsLocation("meet.example.org", "/r/maths?x=1", "", 443, kHosts), "https://meet.example.org/r/maths?x=1");
    EXPECT_EQ(httpsLocation("Meet.Example.org:80", "/", "", 8443, kHosts), "https://meet.example.org:8443/");
    EXPECT_EQ(httpsLocation("127.0.0.1:8080", "/", "", 443, kHosts), "https://127.0.0.1/");
    EXPECT_EQ(httpsLocation("[::1]", "/a", "", 9443, kHosts), "https://[::1]:9443/a");
}

TEST(HttpsRedirect, ThePublicUrlWhenThereIsOne) {
    EXPECT_EQ(httpsLocation("meet.example.org", "/r/x", "https://meet.example.org:8443", 443, kHosts),
              "https://meet.example.org:8443/r/x");
    EXPECT_EQ(httpsLocation(std::nullopt, "/", "https://meet.example.org", 443, kHosts), "https://meet.example.org/");
}

TEST(HttpsRedirect, NowhereForAForeignHostOrATargetThatIsNotAPath) {
    EXPECT_EQ(httpsLocation("rebind.attacker.example", "/", "", 443, kHosts), std::nullopt);
    EXPECT_EQ(httpsLocation("rebind.attacker.example", "/", "https://meet.example.org", 443, kHosts), std::nullopt);
    EXPECT_EQ(httpsLocation(std::nullopt, "/", "", 443, kHosts), std::nullopt);
    const std::vector<std::string_view> targets = {"", "*", "http://evil.example/", "//evil.example/", "/\\evil", "/a b",
                                                   "/a\r\nSet-Cookie: x", std::string_view("/a\0b", 4)};
    for (std::string_view target : targets) {
        EXPECT_EQ(httpsLocation("meet.example.org", target, "", 443, kHosts), std::nullopt) << target;
    }
    EXPECT_EQ(httpsLocation("meet.example.org", "/" + std::string(2047, 'a'), "", 443, kHosts).has_value(), true);
    EXPECT_EQ(httpsLocation("meet.example.org", "/" + std::string(2048, 'a'), "", 443, kHosts), std::nullopt);
}

TEST(HttpsRedirect, AcmeTokensAreLettersDigitsDashAndUnderscore) {
    EXPECT_EQ(acmeChallengeToken("/.well-known/acme-challenge/Ab-9_z"), "Ab-9_z");
    for (std::string_view target : {"/.well-known/acme-challenge/", "/.well-known/acme-challenge/../etc/passwd",
                                    "/.well-known/acme-challenge/a.b", "/.well-known/acme-challenge/a/b",
                                    "/.well-known/acme-challenge/a?b", "/.well-known/other/x", "/"}) {
        EXPECT_EQ(acmeChallengeToken(target), std::nullopt) << target;
    }
    EXPECT_TRUE(acmeChallengeToken("/.well-known/acme-challenge/" + std::string(256, 'a')).has_value());
    EXPECT_FALSE(acmeChallengeToken("/.well-known/acme-challenge/" + std::string(257, 'a')).has_value());
}

}  // namespace
}  // namespace parley::auth
