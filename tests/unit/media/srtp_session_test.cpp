#include "media/srtp_session.hpp"

#include <gtest/gtest.h>

#include <numeric>

using parley::media::SrtpKeyingMaterial;
using parley::media::SrtpProfile;
using parley::media::SrtpSession;
using parley::media::SrtpStatus;
using parley::media::srtpMasterKeyLength;
using parley::media::srtpMasterSaltLength;
using parley::media::srtpSupportsAeadGcm;

namespace {

using Direction = SrtpSession::Direction;

std::vector<std::uint8_t> srtpTestBytes(std::size_t n, std::uint8_t first) {
    std::vector<std::uint8_t> out(n);
    std::iota(out.begin(), out.end(), first);
    return out;
}

// A plain RTP packet: V=2, PT 96, the given sequence number and SSRC, a 100-byte payload.
std::vector<std::uint8_t> srtpTestRtp(std::uint16_t seq, std::uint32_t ssrc = 0x11223344) {
    std::vector<std::uint8_t> p{0x80, 96, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                0, 0, 0x10, 0x00,
                                static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
                                static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
    for (int i = 0; i < 100; ++i) p.push_back(static_cast<std::uint8_t>(seq + i));
    return p;
}

// A minimal RTCP receiver report (no report blocks) from `ssrc`.
std::vector<std::uint8_t> srtpTestRtcp(std::uint32_t ssrc = 0x55667788) {
    return {0x80, 201, 0, 1, static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
            static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
}

std::vector<SrtpProfile> srtpTestProfiles() {
    std::vector<SrtpProfile> profiles{SrtpProfile::Aes128CmSha1_80};
    if (srtpSupportsAeadGcm()) profiles.push_back(SrtpProfile::AeadAes128Gcm);
    return profiles;
}

std::size_t srtpTagLength(SrtpProfile profile) { return profile == SrtpProfile::AeadAes128Gcm ? 16 : 10; }

struct SrtpPair {
    SrtpSession outbound;
    SrtpSession inbound;
};

SrtpPair makeSrtpPair(SrtpProfile profile) {
    const auto key = srtpTestBytes(srtpMasterKeyLength(profile), 1);
    const auto salt = srtpTestBytes(srtpMasterSaltLength(profile), 100);
    auto out = SrtpSession::create(Direction::Outbound, profile, key, salt);
    auto in = SrtpSession::create(Direction::Inbound, profile, key, salt);
    if (!out || !in) throw std::runtime_error("srtp session");
    return {std::move(*out), std::move(*in)};
}

}  // namespace

TEST(SrtpSession, ThisBuildSupportsGcmOrSaysSo) {
    // Debian's libsrtp2 2.5 links NSS, which has AES-GCM; the probe must agree with a real session.
    const auto key = srtpTestBytes(16, 0);
    const auto salt = srtpTestBytes(12, 0);
    auto session = SrtpSession::create(Direction::Outbound, SrtpProfile::AeadAes128Gcm, key, salt);
    EXPECT_EQ(srtpSupportsAeadGcm(), session.has_value());
    std::cout << "libsrtp2 AES-GCM support: " << (srtpSupportsAeadGcm() ? "yes" : "no") << "\n";
}

TEST(SrtpSession, RtpAndRtcpRoundTripInEveryProfile) {
    for (const auto profile : srtpTestProfiles()) {
        SCOPED_TRACE(std::string(parley::media::srtpProfileName(profile)));
        auto [out, in] = makeSrtpPair(profile);

        const auto rtp = srtpTestRtp(1000);
        auto packet = rtp;
        ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
        EXPECT_EQ(packet.size(), rtp.size() + srtpTagLength(profile));
        EXPECT_TRUE(std::equal(rtp.begin(), rtp.begin() + 12, packet.begin()));  // header stays clear
        EXPECT_FALSE(std::equal(rtp.begin() + 12, rtp.end(), packet.begin() + 12));  // payload does not
        ASSERT_EQ(in.unprotectRtp(packet), SrtpStatus::Ok);
        EXPECT_EQ(packet, rtp);

        const auto rtcp = srtpTestRtcp();
        auto control = rtcp;
        ASSERT_EQ(out.protectRtcp(control), SrtpStatus::Ok);
        EXPECT_EQ(control.size(), rtcp.size() + 4 + srtpTagLength(profile));  // E+index, tag
        ASSERT_EQ(in.unprotectRtcp(control), SrtpStatus::Ok);
        EXPECT_EQ(control, rtcp);
    }
}

TEST(SrtpSession, AnySsrcIsAccepted) {
    auto [out, in] = makeSrtpPair(SrtpProfile::Aes128CmSha1_80);
    for (std::uint32_t ssrc : {1u, 0xdeadbeefu, 42u}) {
        auto packet = srtpTestRtp(7, ssrc);
        ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
        EXPECT_EQ(in.unprotectRtp(packet), SrtpStatus::Ok);
    }
}

TEST(SrtpSession, TamperedPacketsFailAuthentication) {
    for (const auto profile : srtpTestProfiles()) {
        SCOPED_TRACE(std::string(parley::media::srtpProfileName(profile)));
        auto [out, in] = makeSrtpPair(profile);
        auto packet = srtpTestRtp(5);
        ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
        packet[20] ^= 0x01;
        EXPECT_EQ(in.unprotectRtp(packet), SrtpStatus::AuthFailed);

        auto control = srtpTestRtcp();
        ASSERT_EQ(out.protectRtcp(control), SrtpStatus::Ok);
        control[5] ^= 0x80;
        EXPECT_EQ(in.unprotectRtcp(control), SrtpStatus::AuthFailed);
    }
}

TEST(SrtpSession, WrongKeyFailsAuthentication) {
    auto [out, in] = makeSrtpPair(SrtpProfile::Aes128CmSha1_80);
    auto other = SrtpSession::create(Direction::Inbound, SrtpProfile::Aes128CmSha1_80, srtpTestBytes(16, 9),
                                     srtpTestBytes(14, 100));
    ASSERT_TRUE(other);
    auto packet = srtpTestRtp(5);
    ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
    EXPECT_EQ(other->unprotectRtp(packet), SrtpStatus::AuthFailed);
}

TEST(SrtpSession, ReplayedPacketsAreRefused) {
    for (const auto profile : srtpTestProfiles()) {
        SCOPED_TRACE(std::string(parley::media::srtpProfileName(profile)));
        auto [out, in] = makeSrtpPair(profile);
        auto packet = srtpTestRtp(300);
        ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
        auto copy = packet;
        ASSERT_EQ(in.unprotectRtp(packet), SrtpStatus::Ok);
        EXPECT_EQ(in.unprotectRtp(copy), SrtpStatus::Replayed);

        auto control = srtpTestRtcp();
        ASSERT_EQ(out.protectRtcp(control), SrtpStatus::Ok);
        auto controlCopy = control;
        ASSERT_EQ(in.unprotectRtcp(control), SrtpStatus::Ok);
        EXPECT_EQ(in.unprotectRtcp(controlCopy), SrtpStatus::Replayed);
    }
}

TEST(SrtpSession, LatePacketsInsideTheWindowPassOlderOnesDoNot) {
    auto [out, in] = makeSrtpPair(SrtpProfile::Aes128CmSha1_80);
    std::vector<std::vector<std::uint8_t>> sent;
    for (std::uint16_t seq = 0; seq < 2000; ++seq) {
        auto packet = srtpTestRtp(seq);
        ASSERT_EQ(out.protectRtp(packet), SrtpStatus::Ok);
        sent.push_back(std::move(packet));
    }
    // Everything but seq 1000 and seq 100 arrives in order (a lost packet each).
    for (std::uint16_t seq = 0; seq < 2000; ++seq) {
        if (seq == 1000 || seq == 100) continue;
        auto packet = sent[seq];
        ASSERT_EQ(in.unprotectRtp(packet), SrtpStatus::Ok) << seq;
    }
    // 999 packets late: inside the 1024 window, as a NACK answer would be.
    auto late = sent[1000];
    EXPECT_EQ(in.unprotectRtp(late), SrtpStatus::Ok);
    // 1899 packets late: outside it.
    auto tooLate = sent[100];
    EXPECT_EQ(in.unprotectRtp(tooLate), SrtpStatus::Replayed);
}

TEST(SrtpSession, OutboundMayProtectTheSameSequenceNumberAgain) {
    for (const auto profile : srtpTestProfiles()) {
        SCOPED_TRACE(std::string(parley::media::srtpProfileName(profile)));
        auto [out, in] = makeSrtpPair(profile);
        auto first = srtpTestRtp(42);
        ASSERT_EQ(out.protectRtp(first), SrtpStatus::Ok);
        auto later = srtpTestRtp(43);
        ASSERT_EQ(out.protectRtp(later), SrtpStatus::Ok);
        // A NACK answer resends seq 42 as it was.
        auto resent = srtpTestRtp(42);
        ASSERT_EQ(out.protectRtp(resent), SrtpStatus::Ok);
        EXPECT_EQ(resent, first);
        // The receiver that lost the first copy takes the resent one.
        EXPECT_EQ(in.unprotectRtp(later), SrtpStatus::Ok);
        EXPECT_EQ(in.unprotectRtp(resent), SrtpStatus::Ok);
    }
}

TEST(SrtpSession, BadInputIsAnErrorNotACrash) {
    auto [out, in] = makeSrtpPair(SrtpProfile::Aes128CmSha1_80);
    std::vector<std::uint8_t> empty;
    EXPECT_EQ(out.protectRtp(empty), SrtpStatus::BadPacket);
    EXPECT_EQ(in.unprotectRtp(empty), SrtpStatus::BadPacket);
    std::vector<std::uint8_t> shortPacket{0x80, 96, 0, 1};
    EXPECT_NE(in.unprotectRtp(shortPacket), SrtpStatus::Ok);
    EXPECT_NE(out.protectRtp(shortPacket), SrtpStatus::Ok);
    EXPECT_EQ(shortPacket.size(), 4u);  // left at its length
    std::vector<std::uint8_t> shortRtcp{0x80, 201, 0, 1, 1, 2};
    EXPECT_NE(in.unprotectRtcp(shortRtcp), SrtpStatus::Ok);
    std::vector<std::uint8_t> huge(70000, 0x80);
    EXPECT_EQ(in.unprotectRtp(huge), SrtpStatus::BadPacket);

    // The wrong direction is refused rather than silently misused.
    auto packet = srtpTestRtp(1);
    EXPECT_EQ(in.protectRtp(packet), SrtpStatus::Error);
    EXPECT_EQ(out.unprotectRtp(packet), SrtpStatus::Error);
}

TEST(SrtpSession, KeyLengthsMustFitTheProfile) {
    EXPECT_FALSE(SrtpSession::create(Direction::Outbound, SrtpProfile::Aes128CmSha1_80, srtpTestBytes(15, 0),
                                     srtpTestBytes(14, 0)));
    EXPECT_FALSE(SrtpSession::create(Direction::Outbound, SrtpProfile::Aes128CmSha1_80, srtpTestBytes(16, 0),
                                     srtpTestBytes(12, 0)));
    EXPECT_FALSE(SrtpSession::create(Direction::Outbound, SrtpProfile::AeadAes128Gcm, srtpTestBytes(16, 0),
                                     srtpTestBytes(14, 0)));
}

TEST(SrtpSession, KeyingMaterialPicksEachSidesKeys) {
    SrtpKeyingMaterial keys;
    keys.profile = SrtpProfile::Aes128CmSha1_80;
    keys.clientKey = srtpTestBytes(16, 1);
    keys.clientSalt = srtpTestBytes(14, 50);
    keys.serverKey = srtpTestBytes(16, 150);
    keys.serverSalt = srtpTestBytes(14, 200);
    auto clientOut = SrtpSession::create(Direction::Outbound, keys, true);
    auto serverIn = SrtpSession::create(Direction::Inbound, keys, false);
    auto serverOut = SrtpSession::create(Direction::Outbound, keys, false);
    auto clientIn = SrtpSession::create(Direction::Inbound, keys, true);
    ASSERT_TRUE(clientOut && serverIn && serverOut && clientIn);

    auto up = srtpTestRtp(1);
    ASSERT_EQ(clientOut->protectRtp(up), SrtpStatus::Ok);
    auto upCopy = up;
    EXPECT_EQ(clientIn->unprotectRtp(upCopy), SrtpStatus::AuthFailed);  // not the client's own key
    EXPECT_EQ(serverIn->unprotectRtp(up), SrtpStatus::Ok);

    auto down = srtpTestRtp(1);
    ASSERT_EQ(serverOut->protectRtp(down), SrtpStatus::Ok);
    EXPECT_EQ(clientIn->unprotectRtp(down), SrtpStatus::Ok);
}
