#pragma once
// STUN messages (RFC 8489, formerly RFC 5389) as ICE uses them (RFC 8445): parsing a datagram
// into the attributes ICE needs, checking MESSAGE-INTEGRITY and FINGERPRINT, and building the
// Binding requests and responses of connectivity checks.
//
// Rules worth knowing:
// - A STUN datagram is exactly one message: the header's length field must cover the rest of
//   the datagram, be a multiple of 4, and the magic cookie must be 0x2112A442. Anything else
//   is not STUN and is dropped silently (it may be another protocol sharing the port).
// - Attributes are type-length-value with the value padded to 4 bytes; the padding counts
//   for nothing and may hold any bytes (RFC 5769's vectors pad with spaces).
// - Only the first occurrence of an attribute counts. Everything after MESSAGE-INTEGRITY is
//   ignored except FINGERPRINT, and FINGERPRINT must be the last attribute.
// - MESSAGE-INTEGRITY is HMAC-SHA1 over the message up to (not including) that attribute, with
//   the header's length field changed to end just after it: what the sender saw when it
//   signed, before FINGERPRINT was appended. ICE uses short-term credentials: the key is the
//   receiver's ice-pwd as-is.
// - FINGERPRINT is CRC-32 (the ISO-HDLC/zlib one) of everything before it, XOR 0x5354554E.
// - A known attribute with an impossible length (PRIORITY not 4 bytes, ...) makes the whole
//   message malformed: parse fails rather than guess.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/transport_address.hpp"

namespace parley::media {

inline constexpr std::uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr std::size_t kStunHeaderSize = 20;
inline constexpr std::uint16_t kStunMethodBinding = 0x001;

using StunTransactionId = std::array<std::uint8_t, 12>;

enum class StunClass : std::uint8_t { Request = 0, Indication = 1, SuccessResponse = 2, ErrorResponse = 3 };

// Attribute types. Below 0x8000 are "comprehension-required": a request carrying one the
// receiver does not know gets 420 Unknown Attribute.
namespace stun_attribute {
inline constexpr std::uint16_t kUsername = 0x0006;
inline constexpr std::uint16_t kMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kErrorCode = 0x0009;
inline constexpr std::uint16_t kUnknownAttributes = 0x000A;
inline constexpr std::uint16_t kXorMappedAddress = 0x0020;
inline constexpr std::uint16_t kPriority = 0x0024;
inline constexpr std::uint16_t kUseCandidate = 0x0025;
inline constexpr std::uint16_t kSoftware = 0x8022;
inline constexpr std::uint16_t kFingerprint = 0x8028;
inline constexpr std::uint16_t kIceControlled = 0x8029;
inline constexpr std::uint16_t kIceControlling = 0x802A;
}  // namespace stun_attribute

struct StunErrorCode {
    int code = 0;  // 300..699
    std::string reason;
};

struct StunMessage {
    StunClass messageClass = StunClass::Request;
    std::uint16_t method = 0;  // 12 bits
    StunTransactionId transactionId{};

    std::optional<std::string> username;
    std::optional<std::string> software;
    std::optional<std::uint32_t> priority;
    bool useCandidate = false;
    std::optional<std::uint64_t> iceControlling;  // the sender's tie-breaker
    std::optional<std::uint64_t> iceControlled;
    std::optional<TransportAddress> xorMappedAddress;
    std::optional<StunErrorCode> errorCode;

    // Where the MESSAGE-INTEGRITY / FINGERPRINT attribute header starts in the datagram.
    std::optional<std::size_t> messageIntegrityOffset;
    std::optional<std::size_t> fingerprintOffset;

    // Comprehension-required types this parser does not know (before MESSAGE-INTEGRITY).
    std::vector<std::uint16_t> unknownRequiredAttributes;

    bool isBindingRequest() const { return method == kStunMethodBinding && messageClass == StunClass::Request; }
};

// nullopt when the datagram is not one well-formed STUN message. Never throws on bad input.
std::optional<StunMessage> parseStunMessage(std::span<const std::uint8_t> datagram);

// False when the datagram does not parse, has no MESSAGE-INTEGRITY, or the HMAC differs
// (compared in constant time).
bool verifyMessageIntegrity(std::span<const std::uint8_t> datagram, std::string_view key);

// False when the datagram does not parse, has no FINGERPRINT, or the CRC differs.
bool verifyFingerprint(std::span<const std::uint8_t> datagram);

// CRC-32 (reflected, polynomial 0x04C11DB7, init and final XOR 0xFFFFFFFF): crc32("123456789")
// is 0xCBF43926.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

// 12 bytes from OpenSSL's RAND_bytes (throws std::runtime_error if it fails).
StunTransactionId randomTransactionId();

// Writes one message attribute by attribute; the header's length is kept up to date as it goes.
// Call addMessageIntegrity() and then addFingerprint() last, in that order (each signs what
// comes before it).
class StunMessageBuilder {
public:
    StunMessageBuilder(StunClass messageClass, std::uint16_t method, const StunTransactionId& transactionId);

    // The byte written into padding; 0 unless reproducing a capture (RFC 5769 uses 0x20).
    StunMessageBuilder& paddingByte(std::uint8_t value);

    StunMessageBuilder& addUsername(std::string_view username);
    StunMessageBuilder& addSoftware(std::string_view software);
    StunMessageBuilder& addPriority(std::uint32_t priority);
    StunMessageBuilder& addUseCandidate();
    StunMessageBuilder& addIceControlling(std::uint64_t tieBreaker);
    StunMessageBuilder& addIceControlled(std::uint64_t tieBreaker);
    StunMessageBuilder& addXorMappedAddress(const TransportAddress& address);
    StunMessageBuilder& addErrorCode(int code, std::string_view reason);
    StunMessageBuilder& addUnknownAttributes(std::span<const std::uint16_t> types);
    StunMessageBuilder& addAttribute(std::uint16_t type, std::span<const std::uint8_t> value);
    StunMessageBuilder& addMessageIntegrity(std::string_view key);
    StunMessageBuilder& addFingerprint();

    const std::vector<std::uint8_t>& bytes() const { return out_; }
    std::vector<std::uint8_t> take() { return std::move(out_); }

private:
    void setLength(std::size_t bodyLength);

    std::vector<std::uint8_t> out_;
    std::uint8_t padding_ = 0;
};

// A Binding success response to `transactionId`: XOR-MAPPED-ADDRESS = where the request came
// from, then MESSAGE-INTEGRITY keyed with `password` (the responder's ice-pwd), FINGERPRINT.
std::vector<std::uint8_t> buildBindingSuccess(const StunTransactionId& transactionId, const TransportAddress& mapped,
                                              std::string_view password);

// An error response with the standard reason phrase (400 Bad Request, 401 Unauthorized,
// 420 Unknown Attribute, 487 Role Conflict). With a password it carries MESSAGE-INTEGRITY:
// only for errors to a request that authenticated (487, 420); a 400 or 401 goes without, as
// the requester's credentials are what failed. Always FINGERPRINT. For 420, `unknown` lists
// the attribute types in UNKNOWN-ATTRIBUTES.
std::vector<std::uint8_t> buildErrorResponse(const StunTransactionId& transactionId, std::uint16_t method, int code,
                                             std::string_view password = {},
                                             std::span<const std::uint16_t> unknown = {});

// A connectivity check as a full agent (a browser) sends it. `username` is
// "<receiver's ufrag>:<sender's ufrag>", `password` the receiver's ice-pwd.
struct BindingRequestParams {
    std::string username;
    std::string password;
    std::uint32_t priority = 0;
    bool controlling = true;
    std::uint64_t tieBreaker = 0;
    bool useCandidate = false;
    std::string software;  // left out when empty
};
std::vector<std::uint8_t> buildBindingRequest(const StunTransactionId& transactionId, const BindingRequestParams& params);

}  // namespace parley::media
