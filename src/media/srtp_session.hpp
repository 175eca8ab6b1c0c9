#pragma once
// SRTP/SRTCP protection for one direction of one transport, over libsrtp2.
//
// Keys come from the DTLS-SRTP handshake (dtls_transport.hpp): the inbound session unprotects
// with the remote side's write key, the outbound session protects with ours. Any SSRC is allowed
// (libsrtp makes per-SSRC state on first use), so one session serves every stream of the peer.
//
// Packets are processed in place on a std::vector: protect grows it by the auth tag (the vector
// is resized by the session, callers need not reserve), unprotect shrinks it. In place because
// the forwarding path already owns a per-packet buffer and copying it again would only cost.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

struct srtp_ctx_t_;  // libsrtp2's session, so users of this header need not include srtp2/srtp.h

namespace parley::media {

// The DTLS-SRTP protection profiles Parley negotiates (RFC 5764 / RFC 7714 ids in comments).
enum class SrtpProfile {
    Aes128CmSha1_80,  // 0x0001: every browser offers it
    AeadAes128Gcm,    // 0x0007: cheaper per packet, only when this libsrtp2 build supports it
};

std::string_view srtpProfileName(SrtpProfile profile);  // "SRTP_AES128_CM_SHA1_80", ...
std::size_t srtpMasterKeyLength(SrtpProfile profile);   // 16 for both
std::size_t srtpMasterSaltLength(SrtpProfile profile);  // 14 for CM, 12 for GCM

// The keying material a DTLS-SRTP handshake exports (RFC 5764 section 4.2), split per side.
struct SrtpKeyingMaterial {
    SrtpProfile profile = SrtpProfile::Aes128CmSha1_80;
    std::vector<std::uint8_t> clientKey, clientSalt;  // the DTLS client's write key
    std::vector<std::uint8_t> serverKey, serverSalt;  // the DTLS server's write key
};

// Whether this libsrtp2 build does AES-128-GCM (Debian's links NSS, which has it; a build with
// its internal crypto does not). Probed once by creating a GCM session; only then is the GCM
// profile offered in DTLS.
bool srtpSupportsAeadGcm();

enum class SrtpStatus {
    Ok,
    AuthFailed,   // tag mismatch: tampered, wrong key, or not SRTP at all
    Replayed,     // seen before, or older than the replay window
    BadPacket,    // too short / malformed header, or too big to protect
    Error,        // anything else libsrtp reports
};

class SrtpSession {
public:
    enum class Direction { Inbound, Outbound };

    // How far back (in packets of one SSRC) a late packet is still accepted inbound; libsrtp
    // allows 64..32767 and keeps one window per SSRC. RFC 4588 retransmissions come on their
    // own RTX SSRC, so they have their own window; a plain NACK answer reuses the lost packet's
    // sequence number, which passes because the original never arrived, if it is within 1024
    // packets (about 4 s of 2.5 Mbit/s video).
    static constexpr unsigned long kReplayWindow = 1024;

    // nullopt when the key or salt length does not fit the profile, or libsrtp refuses (GCM
    // without support). Calls srtp_init() once per process first.
    static std::optional<SrtpSession> create(Direction direction, SrtpProfile profile,
                                             std::span<const std::uint8_t> masterKey,
                                             std::span<const std::uint8_t> masterSalt);
    // The session of one side from exported keys: Inbound uses the remote's write key, Outbound
    // ours; `localIsDtlsClient` says which of the two we are.
    static std::optional<SrtpSession> create(Direction direction, const SrtpKeyingMaterial& keys,
                                             bool localIsDtlsClient);

    SrtpSession(SrtpSession&&) noexcept = default;
    SrtpSession& operator=(SrtpSession&&) noexcept = default;
    ~SrtpSession();

    Direction direction() const { return direction_; }
    SrtpProfile profile() const { return profile_; }

    // Outbound only (an inbound session returns Error). On anything but Ok the packet has its
    // original length again and must not be sent. Re-protecting an already sent sequence number is allowed (NACK answers
    // resend the packet as it was), so Replayed does not happen here. The caller must resend a
    // sequence number only with the very same payload: a different payload under the same
    // SSRC+seq reuses the keystream (and for GCM the nonce), which breaks confidentiality.
    SrtpStatus protectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus protectRtcp(std::vector<std::uint8_t>& packet);
    // Inbound only. On Ok the packet holds the plain RTP/RTCP; otherwise its content is
    // unspecified (libsrtp may have decrypted part of it) and it must be dropped.
    SrtpStatus unprotectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus unprotectRtcp(std::vector<std::uint8_t>& packet);

private:
    struct SessionFree { void operator()(::srtp_ctx_t_* session) const; };

    SrtpSession(Direction direction, SrtpProfile profile, ::srtp_ctx_t_* session);

    Direction direction_;
    SrtpProfile profile_;
    std::unique_ptr<::srtp_ctx_t_, SessionFree> session_;
};

}  // namespace parley::media
