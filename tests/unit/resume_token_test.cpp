#include "core/resume_token.hpp"

#include <gtest/gtest.h>

#include "core/ids.hpp"

using namespace parley::core;

namespace {

ResumeSecret secretOf(std::uint8_t first, std::uint8_t last) {
    ResumeSecret secret;
    secret.bytes.front() = first;
    secret.bytes.back() = last;
    return secret;
}

TEST(ResumeToken, NamesTheParticipantAndCarriesTheSecretInHex) {
    const std::string token = formatResumeToken("p1x", secretOf(0xAB, 0x0F));
    EXPECT_EQ(token, "p1x.ab00000000000000000000000000000f");
    const auto parts = parseResumeToken(token);
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->participant, "p1x");
    EXPECT_TRUE(sameSecret(parts->secret, secretOf(0xAB, 0x0F)));
    EXPECT_FALSE(sameSecret(parts->secret, secretOf(0xAB, 0x0E)));
}

TEST(ResumeToken, AnythingElseIsNoToken) {
    const std::string hex32(32, 'a');
    for (const std::string& bad : {std::string(), std::string("p1"), hex32, "." + hex32, "p1." + hex32.substr(1),
                                  "p1." + hex32 + "a", "p1." + hex32.substr(1) + "A", "p1." + hex32.substr(1) + "g",
                                  "p1:" + hex32}) {
        EXPECT_FALSE(parseResumeToken(bad)) << bad;
    }
    EXPECT_TRUE(parseResumeToken("p1." + hex32));
}

TEST(ResumeToken, RandomSecretsDiffer) {
    RandomIdSource ids;
    EXPECT_FALSE(sameSecret(ids.nextResumeSecret(), ids.nextResumeSecret()));
}

}  // namespace
