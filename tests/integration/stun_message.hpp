#pragma once
// Just enough STUN (RFC 5389) and TURN (RFC 5766) for a test to ask a real TURN server for a
// relay: build requests with long-term-credential MESSAGE-INTEGRITY, read responses.
// Written for tests: no FINGERPRINT, no IPv6 addresses, no retransmission policy beyond a few
// tries on loopback.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::itest::stun {

inline constexpr std::uint16_t kBindingRequest = 0x0001;
inline constexpr std::uint16_t kBindingSuccess = 0x0101;
inline constexpr std::uint16_t kAllocateRequest = 0x0003;
inline constexpr std::uint16_t kAllocateSuccess = 0x0103;
inline constexpr std::uint16_t kAllocateError = 0x0113;

inline constexpr std::uint16_t kUsername = 0x0006;
inline constexpr std::uint16_t kMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kErrorCode = 0x0009;
inline constexpr std::uint16_t kLifetime = 0x000D;
inline constexpr std::uint16_t kRealm = 0x0014;
inline constexpr std::uint16_t kNonce = 0x0015;
inline constexpr std::uint16_t kXorRelayedAddress = 0x0016;
inline constexpr std::uint16_t kRequestedTransport = 0x0019;
inline constexpr std::uint16_t kXorMappedAddress = 0x0020;

using TransactionId = std::array<std::uint8_t, 12>;
TransactionId randomTransactionId();

class Request {
public:
    Request(std::uint16_t type, const TransactionId& id);
    Request& add(std::uint16_t attribute, std::string_view value);
    // REQUESTED-TRANSPORT: UDP (RFC 5766 §14.7).
    Request& requestUdp();
    // MESSAGE-INTEGRITY over everything added so far; must be the last attribute.
    Request& sign(std::string_view key);
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

struct Address {
    std::string ip;  // dotted IPv4
    std::uint16_t port = 0;
};

struct Response {
    std::uint16_t type = 0;
    TransactionId id{};
    std::vector<std::pair<std::uint16_t, std::string>> attributes;
    std::string raw;

    std::optional<std::string> attribute(std::uint16_t type) const;
    // ERROR-CODE as a number (401, 438, ...).
    std::optional<int> errorCode() const;
    // An XOR-*-ADDRESS attribute decoded (IPv4 only).
    std::optional<Address> xorAddress(std::uint16_t type) const;
    // Whether MESSAGE-INTEGRITY is present and right for `key`.
    bool integrityMatches(std::string_view key) const;
};

// nullopt when `bytes` is not a well-formed STUN message.
std::optional<Response> parse(std::string_view bytes);

// The long-term credential key (RFC 5389 §15.4): MD5(username ":" realm ":" password).
std::string longTermKey(std::string_view username, std::string_view realm, std::string_view password);

// A UDP socket connected to one STUN/TURN server on 127.0.0.1.
class UdpClient {
public:
    explicit UdpClient(std::uint16_t port);
    ~UdpClient();
    UdpClient(const UdpClient&) = delete;
    UdpClient& operator=(const UdpClient&) = delete;

    // Sends `request` and returns the response with the same transaction id, resending a few
    // times within `limit` (UDP); nullopt if none came.
    std::optional<Response> exchange(const Request& request, const TransactionId& id,
                                     std::chrono::milliseconds limit);

private:
    int fd_ = -1;
};

}  // namespace parley::itest::stun
