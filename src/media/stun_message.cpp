#include "media/stun_message.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "media/byte_io.hpp"

namespace parley::media {

namespace {

constexpr std::uint32_t kStunFingerprintXor = 0x5354554E;
constexpr std::size_t kStunHmacSize = 20;
// RFC 8489 section 14.3: USERNAME is under 509 bytes (RFC 5389 said 513: accept the larger).
constexpr std::size_t kStunMaxUsername = 513;

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}
constexpr auto kCrcTable = makeCrcTable();

std::size_t stunPadded(std::size_t length) { return (length + 3) & ~std::size_t{3}; }

std::uint16_t stunMessageType(StunClass messageClass, std::uint16_t method) {
    // The class's two bits sit at bits 4 and 8, splitting the 12-bit method in three.
    const auto c = static_cast<std::uint16_t>(messageClass);
    return static_cast<std::uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
                                      ((c & 1) << 4) | ((c & 2) << 7));
}

std::optional<std::array<std::uint8_t, kStunHmacSize>> stunHmac(std::span<const std::uint8_t> bytes,
                                                               std::string_view key) {
    std::array<std::uint8_t, kStunHmacSize> mac{};
    unsigned int length = 0;
    // OpenSSL refuses a null key pointer even with length 0: never let an empty key reach it.
    static constexpr char kNoKey = 0;
    const char* keyBytes = key.empty() ? &kNoKey : key.data();
    if (HMAC(EVP_sha1(), keyBytes, static_cast<int>(key.size()), bytes.data(), bytes.size(), mac.data(), &length) ==
            nullptr ||
        length != kStunHmacSize) {
        return std::nullopt;
    }
    return mac;
}

std::optional<TransportAddress> readXorAddress(std::span<const std::uint8_t> value, const StunTransactionId& tid) {
    ByteReader r(value);
    r.u8();  // reserved
    const std::uint8_t family = r.u8();
    const auto port = static_cast<std::uint16_t>(r.u16() ^ (kStunMagicCookie >> 16));
    // The address is XORed with the magic cookie, and for IPv6 the transaction id after it.
    std::array<std::uint8_t, 16> mask{};
    for (std::size_t i = 0; i < 4; ++i) mask[i] = static_cast<std::uint8_t>(kStunMagicCookie >> (24 - 8 * i));
    for (std::size_t i = 0; i < 12; ++i) mask[4 + i] = tid[i];
    if (family == 0x01 && value.size() == 8) {
        std::array<std::uint8_t, 4> a{};
        for (std::size_t i = 0; i < 4; ++i) a[i] = static_cast<std::uint8_t>(value[4 + i] ^ mask[i]);
        return TransportAddress::ipv4(a, port);
    }
    if (family == 0x02 && value.size() == 20) {
        std::array<std::uint8_t, 16> a{};
        for (std::size_t i = 0; i < 16; ++i) a[i] = static_cast<std::uint8_t>(value[4 + i] ^ mask[i]);
        return TransportAddress::ipv6(a, port);
    }
    return std::nullopt;
}

std::string_view stunReasonPhrase(int code) {
    switch (code) {
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 420: return "Unknown Attribute";
        case 487: return "Role Conflict";
        default: return "";
    }
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::uint8_t b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::optional<StunMessage> parseStunMessage(std::span<const std::uint8_t> datagram) {
    ByteReader r(datagram);
    const std::uint16_t type = r.u16();
    const std::uint16_t length = r.u16();
    const std::uint32_t cookie = r.u32();
    StunMessage m;
    const auto tid = r.bytes(12);
    if (!r.ok() || (type & 0xC000) != 0 || cookie != kStunMagicCookie || length % 4 != 0 ||
        datagram.size() != kStunHeaderSize + length) {
        return std::nullopt;
    }
    std::copy(tid.begin(), tid.end(), m.transactionId.begin());
    m.method = static_cast<std::uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
    m.messageClass = static_cast<StunClass>(((type >> 4) & 1) | ((type >> 7) & 2));

    while (r.remaining() > 0) {
        const std::size_t offset = r.position();
        const std::uint16_t attrType = r.u16();
        const std::uint16_t attrLength = r.u16();
        const auto value = r.bytes(attrLength);
        r.skip(stunPadded(attrLength) - attrLength);
        if (!r.ok() || m.fingerprintOffset) return std::nullopt;  // overruns, or follows FINGERPRINT

        if (attrType == stun_attribute::kFingerprint) {
            if (attrLength != 4) return std::nullopt;
            m.fingerprintOffset = offset;
            continue;
        }
        if (m.messageIntegrityOffset) continue;  // not covered by the integrity check: ignored

        ByteReader v(value);
        switch (attrType) {
            case stun_attribute::kMessageIntegrity:
                if (attrLength != kStunHmacSize) return std::nullopt;
                m.messageIntegrityOffset = offset;
                break;
            case stun_attribute::kUsername:
                if (attrLength > kStunMaxUsername) return std::nullopt;
                if (!m.username) m.username.emplace(value.begin(), value.end());
                break;
            case stun_attribute::kSoftware:
                if (!m.software) m.software.emplace(value.begin(), value.end());
                break;
            case stun_attribute::kPriority:
                if (attrLength != 4) return std::nullopt;
                if (!m.priority) m.priority = v.u32();
                break;
            case stun_attribute::kUseCandidate:
                if (attrLength != 0) return std::nullopt;
                m.useCandidate = true;
                break;
            case stun_attribute::kIceControlling:
                if (attrLength != 8) return std::nullopt;
                if (!m.iceControlling) m.iceControlling = v.u64();
                break;
            case stun_attribute::kIceControlled:
                if (attrLength != 8) return std::nullopt;
                if (!m.iceControlled) m.iceControlled = v.u64();
                break;
            case stun_attribute::kXorMappedAddress: {
                auto address = readXorAddress(value, m.transactionId);
                if (!address) return std::nullopt;
                if (!m.xorMappedAddress) m.xorMappedAddress = address;
                break;
            }
            case stun_attribute::kErrorCode: {
                // 21 reserved bits, the hundreds digit in 3 bits, the rest 0..99 in a byte.
                const std::uint32_t head = v.u32();
                const int hundreds = static_cast<int>((head >> 8) & 0x7);
                const int rest = static_cast<int>(head & 0xFF);
                if (!v.ok() || hundreds < 3 || hundreds > 6 || rest > 99) return std::nullopt;
                const auto reason = v.bytes(v.remaining());
                if (!m.errorCode) m.errorCode = StunErrorCode{hundreds * 100 + rest, std::string(reason.begin(), reason.end())};
                break;
            }
            default:
                if (attrType < 0x8000 && attrType != stun_attribute::kUnknownAttributes) {
                    m.unknownRequiredAttributes.push_back(attrType);
                }
                break;
        }
    }
    return m;
}

bool verifyMessageIntegrity(std::span<const std::uint8_t> datagram, std::string_view key) {
    const auto m = parseStunMessage(datagram);
    if (!m || !m->messageIntegrityOffset) return false;
    const std::size_t at = *m->messageIntegrityOffset;
    std::vector<std::uint8_t> signedPart(datagram.begin(), datagram.begin() + static_cast<std::ptrdiff_t>(at));
    ByteWriter(signedPart).patchU16(2, static_cast<std::uint16_t>(at + 4 + kStunHmacSize - kStunHeaderSize));
    const auto mac = stunHmac(signedPart, key);
    return mac && CRYPTO_memcmp(mac->data(), datagram.data() + at + 4, kStunHmacSize) == 0;
}

bool verifyFingerprint(std::span<const std::uint8_t> datagram) {
    const auto m = parseStunMessage(datagram);
    if (!m || !m->fingerprintOffset) return false;
    const std::size_t at = *m->fingerprintOffset;
    ByteReader r(datagram.subspan(at + 4, 4));
    // FINGERPRINT is last, so the length field already ends just after it, as when it was made.
    return r.u32() == (crc32(datagram.first(at)) ^ kStunFingerprintXor);
}

StunTransactionId randomTransactionId() {
    StunTransactionId tid{};
    if (RAND_bytes(tid.data(), static_cast<int>(tid.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed for a STUN transaction id");
    }
    return tid;
}

// ---- building ------------------------------------------------------------------------------

StunMessageBuilder::StunMessageBuilder(StunClass messageClass, std::uint16_t method,
                                       const StunTransactionId& transactionId) {
    ByteWriter w(out_);
    w.u16(stunMessageType(messageClass, method));
    w.u16(0);
    w.u32(kStunMagicCookie);
    w.bytes(transactionId);
}

StunMessageBuilder& StunMessageBuilder::paddingByte(std::uint8_t value) {
    padding_ = value;
    return *this;
}

void StunMessageBuilder::setLength(std::size_t bodyLength) {
    ByteWriter(out_).patchU16(2, static_cast<std::uint16_t>(bodyLength));
}

StunMessageBuilder& StunMessageBuilder::addAttribute(std::uint16_t type, std::span<const std::uint8_t> value) {
    ByteWriter w(out_);
    w.u16(type);
    w.u16(static_cast<std::uint16_t>(value.size()));
    w.bytes(value);
    out_.insert(out_.end(), stunPadded(value.size()) - value.size(), padding_);
    setLength(out_.size() - kStunHeaderSize);
    return *this;
}

namespace {
std::span<const std::uint8_t> stunTextBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
}  // namespace

StunMessageBuilder& StunMessageBuilder::addUsername(std::string_view username) {
    return addAttribute(stun_attribute::kUsername, stunTextBytes(username));
}

StunMessageBuilder& StunMessageBuilder::addSoftware(std::string_view software) {
    return addAttribute(stun_attribute::kSoftware, stunTextBytes(software));
}

StunMessageBuilder& StunMessageBuilder::addPriority(std::uint32_t priority) {
    std::vector<std::uint8_t> v;
    ByteWriter(v).u32(priority);
    return addAttribute(stun_attribute::kPriority, v);
}

StunMessageBuilder& StunMessageBuilder::addUseCandidate() { return addAttribute(stun_attribute::kUseCandidate, {}); }

StunMessageBuilder& StunMessageBuilder::addIceControlling(std::uint64_t tieBreaker) {
    std::vector<std::uint8_t> v;
    ByteWriter(v).u64(tieBreaker);
    return addAttribute(stun_attribute::kIceControlling, v);
}

StunMessageBuilder& StunMessageBuilder::addIceControlled(std::uint64_t tieBreaker) {
    std::vector<std::uint8_t> v;
    ByteWriter(v).u64(tieBreaker);
    return addAttribute(stun_attribute::kIceControlled, v);
}

StunMessageBuilder& StunMessageBuilder::addXorMappedAddress(const TransportAddress& address) {
    std::vector<std::uint8_t> v;
    ByteWriter w(v);
    w.u8(0);
    w.u8(address.isIpv4() ? 0x01 : 0x02);
    w.u16(static_cast<std::uint16_t>(address.port() ^ (kStunMagicCookie >> 16)));
    const std::size_t n = address.isIpv4() ? 4 : 16;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t mask = i < 4 ? static_cast<std::uint8_t>(kStunMagicCookie >> (24 - 8 * i)) : out_[8 + i - 4];
        w.u8(static_cast<std::uint8_t>(address.bytes()[i] ^ mask));
    }
    return addAttribute(stun_attribute::kXorMappedAddress, v);
}

StunMessageBuilder& StunMessageBuilder::addErrorCode(int code, std::string_view reason) {
    std::vector<std::uint8_t> v;
    ByteWriter w(v);
    w.u16(0);
    w.u8(static_cast<std::uint8_t>((code / 100) & 0x7));
    w.u8(static_cast<std::uint8_t>(code % 100));
    w.bytes(stunTextBytes(reason));
    return addAttribute(stun_attribute::kErrorCode, v);
}

StunMessageBuilder& StunMessageBuilder::addUnknownAttributes(std::span<const std::uint16_t> types) {
    std::vector<std::uint8_t> v;
    ByteWriter w(v);
    for (std::uint16_t t : types) w.u16(t);
    return addAttribute(stun_attribute::kUnknownAttributes, v);
}

StunMessageBuilder& StunMessageBuilder::addMessageIntegrity(std::string_view key) {
    // Sign with the length as it will read once this attribute is appended.
    setLength(out_.size() + 4 + kStunHmacSize - kStunHeaderSize);
    const auto mac = stunHmac(out_, key);
    if (!mac) throw std::runtime_error("HMAC-SHA1 failed for STUN MESSAGE-INTEGRITY");
    return addAttribute(stun_attribute::kMessageIntegrity, *mac);
}

StunMessageBuilder& StunMessageBuilder::addFingerprint() {
    setLength(out_.size() + 8 - kStunHeaderSize);
    std::vector<std::uint8_t> v;
    ByteWriter(v).u32(crc32(out_) ^ kStunFingerprintXor);
    return addAttribute(stun_attribute::kFingerprint, v);
}

std::vector<std::uint8_t> buildBindingSuccess(const StunTransactionId& transactionId, const TransportAddress& mapped,
                                              std::string_view password) {
    return StunMessageBuilder(StunClass::SuccessResponse, kStunMethodBinding, transactionId)
        .addXorMappedAddress(mapped)
        .addMessageIntegrity(password)
        .addFingerprint()
        .take();
}

std::vector<std::uint8_t> buildErrorResponse(const StunTransactionId& transactionId, std::uint16_t method, int code,
                                             std::string_view password, std::span<const std::uint16_t> unknown) {
    StunMessageBuilder b(StunClass::ErrorResponse, method, transactionId);
    b.addErrorCode(code, stunReasonPhrase(code));
    if (code == 420) b.addUnknownAttributes(unknown);
    if (!password.empty()) b.addMessageIntegrity(password);
    return b.addFingerprint().take();
}

std::vector<std::uint8_t> buildBindingRequest(const StunTransactionId& transactionId, const BindingRequestParams& params) {
    StunMessageBuilder b(StunClass::Request, kStunMethodBinding, transactionId);
    if (!params.software.empty()) b.addSoftware(params.software);
    b.addPriority(params.priority);
    if (params.controlling) {
        b.addIceControlling(params.tieBreaker);
    } else {
        b.addIceControlled(params.tieBreaker);
    }
    if (params.useCandidate) b.addUseCandidate();
    return b.addUsername(params.username).addMessageIntegrity(params.password).addFingerprint().take();
}

}  // namespace parley::media
