#include "media/srtp_session.hpp"

#include <srtp2/srtp.h>

#include <climits>
#include <cstring>
#include <mutex>

namespace parley::media {

namespace {

// libsrtp keeps a process-wide crypto kernel: initialise it once, whichever thread comes first.
// Never shut down: sessions may live until exit and srtp_shutdown would pull it from under them.
bool srtpInitialised() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
    return ok;
}

void setSrtpCryptoPolicy(SrtpProfile profile, srtp_crypto_policy_t& policy) {
    switch (profile) {
    case SrtpProfile::Aes128CmSha1_80: srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy); return;
    case SrtpProfile::AeadAes128Gcm: srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy); return;
    }
}

SrtpStatus srtpStatusOf(srtp_err_status_t status) {
    switch (status) {
    case srtp_err_status_ok: return SrtpStatus::Ok;
    case srtp_err_status_auth_fail:
    case srtp_err_status_cipher_fail: return SrtpStatus::AuthFailed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return SrtpStatus::Replayed;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err: return SrtpStatus::BadPacket;
    default: return SrtpStatus::Error;
    }
}

// libsrtp writes up to the trailer (tag, and for SRTCP the 4-byte E+index) past the payload.
constexpr std::size_t kSrtpSpareRoom = SRTP_MAX_TRAILER_LEN + 4;
// Lengths are ints in libsrtp; nothing near this size is a UDP payload anyway.
constexpr std::size_t kSrtpMaxPacket = 65536;

using SrtpFunction = srtp_err_status_t (*)(srtp_t, void*, int*);

SrtpStatus srtpProtectInPlace(srtp_t session, std::vector<std::uint8_t>& packet, SrtpFunction function) {
    if (packet.empty() || packet.size() > kSrtpMaxPacket) return SrtpStatus::BadPacket;
    const std::size_t original = packet.size();
    packet.resize(original + kSrtpSpareRoom);
    int length = static_cast<int>(original);
    const srtp_err_status_t status = function(session, packet.data(), &length);
    if (status != srtp_err_status_ok || length < 0 || static_cast<std::size_t>(length) > packet.size()) {
        packet.resize(original);
        return status == srtp_err_status_ok ? SrtpStatus::Error : srtpStatusOf(status);
    }
    packet.resize(static_cast<std::size_t>(length));
    return SrtpStatus::Ok;
}

SrtpStatus srtpUnprotectInPlace(srtp_t session, std::vector<std::uint8_t>& packet, SrtpFunction function) {
    if (packet.empty() || packet.size() > kSrtpMaxPacket) return SrtpStatus::BadPacket;
    int length = static_cast<int>(packet.size());
    const srtp_err_status_t status = function(session, packet.data(), &length);
    if (status != srtp_err_status_ok) return srtpStatusOf(status);
    if (length < 0 || static_cast<std::size_t>(length) > packet.size()) return SrtpStatus::Error;
    packet.resize(static_cast<std::size_t>(length));
    return SrtpStatus::Ok;
}

srtp_err_status_t srtpProtectRtp(srtp_t s, void* p, int* n) { return srtp_protect(s, p, n); }
srtp_err_status_t srtpProtectRtcp(srtp_t s, void* p, int* n) { return srtp_protect_rtcp(s, p, n); }
srtp_err_status_t srtpUnprotectRtp(srtp_t s, void* p, int* n) { return srtp_unprotect(s, p, n); }
srtp_err_status_t srtpUnprotectRtcp(srtp_t s, void* p, int* n) { return srtp_unprotect_rtcp(s, p, n); }

}  // namespace

std::string_view srtpProfileName(SrtpProfile profile) {
    switch (profile) {
    case SrtpProfile::Aes128CmSha1_80: return "SRTP_AES128_CM_SHA1_80";
    case SrtpProfile::AeadAes128Gcm: return "SRTP_AEAD_AES_128_GCM";
    }
    return "?";
}

std::size_t srtpMasterKeyLength(SrtpProfile) { return 16; }

std::size_t srtpMasterSaltLength(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

bool srtpSupportsAeadGcm() {
    static const bool supported = [] {
        const std::vector<std::uint8_t> key(srtpMasterKeyLength(SrtpProfile::AeadAes128Gcm), 0x42);
        const std::vector<std::uint8_t> salt(srtpMasterSaltLength(SrtpProfile::AeadAes128Gcm), 0x24);
        auto session = SrtpSession::create(SrtpSession::Direction::Outbound, SrtpProfile::AeadAes128Gcm, key, salt);
        if (!session) return false;
        // A session can exist with a cipher that then fails; protect one minimal RTP packet.
        std::vector<std::uint8_t> packet{0x80, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 7, 0xde, 0xad};
        return session->protectRtp(packet) == SrtpStatus::Ok && packet.size() == 14 + 16;
    }();
    return supported;
}

void SrtpSession::SessionFree::operator()(::srtp_ctx_t_* session) const { srtp_dealloc(session); }

SrtpSession::SrtpSession(Direction direction, SrtpProfile profile, ::srtp_ctx_t_* session)
    : direction_(direction), profile_(profile), session_(session) {}

SrtpSession::~SrtpSession() = default;

std::optional<SrtpSession> SrtpSession::create(Direction direction, SrtpProfile profile,
                                               std::span<const std::uint8_t> masterKey,
                                               std::span<const std::uint8_t> masterSalt) {
    if (masterKey.size() != srtpMasterKeyLength(profile) || masterSalt.size() != srtpMasterSaltLength(profile))
        return std::nullopt;
    if (!srtpInitialised()) return std::nullopt;

    // libsrtp wants key || salt in one buffer and copies it during srtp_create.
    unsigned char keyAndSalt[SRTP_MAX_KEY_LEN] = {};
    static_assert(SRTP_MAX_KEY_LEN >= 16 + 14);
    std::memcpy(keyAndSalt, masterKey.data(), masterKey.size());
    std::memcpy(keyAndSalt + masterKey.size(), masterSalt.data(), masterSalt.size());

    srtp_policy_t policy;
    std::memset(&policy, 0, sizeof policy);
    setSrtpCryptoPolicy(profile, policy.rtp);
    setSrtpCryptoPolicy(profile, policy.rtcp);
    policy.ssrc.type = direction == Direction::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = keyAndSalt;
    policy.window_size = kReplayWindow;
    policy.allow_repeat_tx = direction == Direction::Outbound ? 1 : 0;
    policy.next = nullptr;

    srtp_t session = nullptr;
    const srtp_err_status_t status = srtp_create(&session, &policy);
    std::memset(keyAndSalt, 0, sizeof keyAndSalt);
    if (status != srtp_err_status_ok) {
        if (session != nullptr) srtp_dealloc(session);
        return std::nullopt;
    }
    return SrtpSession(direction, profile, session);
}

std::optional<SrtpSession> SrtpSession::create(Direction direction, const SrtpKeyingMaterial& keys,
                                               bool localIsDtlsClient) {
    // Outbound uses our own write key; inbound the peer's.
    const bool useClientKey = (direction == Direction::Outbound) == localIsDtlsClient;
    return useClientKey ? create(direction, keys.profile, keys.clientKey, keys.clientSalt)
                        : create(direction, keys.profile, keys.serverKey, keys.serverSalt);
}

SrtpStatus SrtpSession::protectRtp(std::vector<std::uint8_t>& packet) {
    if (direction_ != Direction::Outbound) return SrtpStatus::Error;
    return srtpProtectInPlace(session_.get(), packet, &srtpProtectRtp);
}

SrtpStatus SrtpSession::protectRtcp(std::vector<std::uint8_t>& packet) {
    if (direction_ != Direction::Outbound) return SrtpStatus::Error;
    return srtpProtectInPlace(session_.get(), packet, &srtpProtectRtcp);
}

SrtpStatus SrtpSession::unprotectRtp(std::vector<std::uint8_t>& packet) {
    if (direction_ != Direction::Inbound) return SrtpStatus::Error;
    return srtpUnprotectInPlace(session_.get(), packet, &srtpUnprotectRtp);
}

SrtpStatus SrtpSession::unprotectRtcp(std::vector<std::uint8_t>& packet) {
    if (direction_ != Direction::Inbound) return SrtpStatus::Error;
    return srtpUnprotectInPlace(session_.get(), packet, &srtpUnprotectRtcp);
}

}  // namespace parley::media
