#include <gtest/gtest.h>

#include "auth/crypto.hpp"
#include "auth/room_token.hpp"
#include "auth/turn_credentials.hpp"
#include "core/token_bucket.hpp"

using namespace parley::auth;

namespace {

std::string hex(std::string_view bytes) {
    static constexpr char k[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += k[c >> 4];
        out += k[c & 15];
    }
    return out;
}

}  // namespace

TEST(Crypto, HmacSha256MatchesRfc4231) {
    EXPECT_EQ(hex(hmacSha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Base64BothAlphabetsAndRoundTrip) {
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64url("\xfb\xff"), "-_8");
    std::string out;
    ASSERT_TRUE(base64urlDecode("-_8", out));
    EXPECT_EQ(out, "\xfb\xff");
    EXPECT_FALSE(base64urlDecode("ab+c", out));
    EXPECT_FALSE(base64urlDecode("a", out));
    EXPECT_EQ(randomHex(16).size(), 32u);
    EXPECT_NE(randomHex(16), randomHex(16));
}

TEST(RoomToken, RoundTrip) {
    std::string t = mintRoomToken({"math-101", "Ms Smith", true, 2000}, "s3cret");
    auto check = verifyRoomToken(t, "s3cret", "math-101", 1999);
    ASSERT_TRUE(check.claims);
    EXPECT_EQ(check.claims->name, "Ms Smith");
    EXPECT_TRUE(check.claims->host);
    EXPECT_EQ(check.claims->expires, 2000);
}

TEST(RoomToken, RefusesWhatItShould) {
    std::string t = mintRoomToken({"math-101", "", false, 2000}, "s3cret");
    EXPECT_EQ(verifyRoomToken(t, "other", "math-101", 1000).problem, TokenProblem::BadSignature);
    EXPECT_EQ(verifyRoomToken(t, "s3cret", "math-101", 2000).problem, TokenProblem::Expired);
    EXPECT_EQ(verifyRoomToken(t, "s3cret", "math-102", 1000).problem, TokenProblem::WrongRoom);
    EXPECT_EQ(verifyRoomToken("abc", "s3cret", "math-101", 1000).problem, TokenProblem::Malformed);
    EXPECT_EQ(verifyRoomToken("a.b.c.d", "s3cret", "math-101", 1000).problem, TokenProblem::Malformed);
    // A guest who edits the payload to become host breaks the signature.
    auto dot1 = t.find('.'), dot2 = t.rfind('.');
    std::string forged = t.substr(0, dot1 + 1) +
                         base64url(R"({"room":"math-101","role":"host","exp":2000})") + t.substr(dot2);
    EXPECT_EQ(verifyRoomToken(forged, "s3cret", "math-101", 1000).problem, TokenProblem::BadSignature);
    // alg "none" is never accepted.
    std::string none = base64url(R"({"alg":"none"})") + "." + base64url(R"({"room":"math-101","exp":2000})") + ".";
    EXPECT_EQ(verifyRoomToken(none, "s3cret", "math-101", 1000).problem, TokenProblem::UnsupportedAlgorithm);
    std::string any = mintRoomToken({"*", "", false, 2000}, "s3cret");
    EXPECT_TRUE(verifyRoomToken(any, "s3cret", "whatever", 1000).claims);
}

TEST(TurnCredentials, FollowCoturnRestScheme) {
    auto c = turnCredentials("coturn-secret", "alice", 1'700'000'000, 3600);
    EXPECT_EQ(c.username, "1700003600:alice");
    EXPECT_EQ(c.credential, "1lobeIezgenyLqw/MsCKXLuSl7s=");  // computed independently with Python hmac
}

TEST(TokenBucket, AllowsBurstThenRefillsWithTime) {
    const parley::core::BucketRate rate{10, 5};
    parley::core::TokenBucket bucket(rate, 0);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.take(rate, 0));
    EXPECT_FALSE(bucket.take(rate, 0));
    EXPECT_FALSE(bucket.take(rate, 99));
    EXPECT_TRUE(bucket.take(rate, 100));  // 100 ms at 10/s = 1 token
    EXPECT_FALSE(bucket.take(rate, 100));
    EXPECT_TRUE(bucket.take(rate, 10'000));
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(bucket.take(rate, 10'000));
    EXPECT_FALSE(bucket.take(rate, 10'000)) << "never more than the burst is saved up";
}
