#include "stun_message.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace parley::itest::stun {

namespace {

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::size_t kHeaderBytes = 20;

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

std::uint16_t get16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(s[at]) << 8) | static_cast<std::uint8_t>(s[at + 1]));
}

void setLength(std::string& message, std::size_t attributesBytes) {
    message[2] = static_cast<char>(attributesBytes >> 8);
    message[3] = static_cast<char>(attributesBytes & 0xFF);
}

std::string hmacSha1(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &length);
    return std::string(reinterpret_cast<char*>(mac), length);
}

}  // namespace

TransactionId randomTransactionId() {
    std::random_device device;
    TransactionId id;
    for (auto& byte : id) byte = static_cast<std::uint8_t>(device());
    return id;
}

Request::Request(std::uint16_t type, const TransactionId& id) {
    put16(bytes_, type);
    put16(bytes_, 0);
    for (int shift = 24; shift >= 0; shift -= 8) bytes_.push_back(static_cast<char>((kMagicCookie >> shift) & 0xFF));
    bytes_.append(reinterpret_cast<const char*>(id.data()), id.size());
}

Request& Request::add(std::uint16_t attribute, std::string_view value) {
    put16(bytes_, attribute);
    put16(bytes_, static_cast<std::uint16_t>(value.size()));
    bytes_.append(value);
    bytes_.append((4 - value.size() % 4) % 4, '\0');  // attributes are padded to 4 bytes
    setLength(bytes_, bytes_.size() - kHeaderBytes);
    return *this;
}

Request& Request::requestUdp() {
    return add(kRequestedTransport, std::string_view("\x11\0\0\0", 4));  // protocol 17, RFFU
}

Request& Request::sign(std::string_view key) {
    // The HMAC covers the header with a length that already counts MESSAGE-INTEGRITY (§15.4).
    setLength(bytes_, bytes_.size() - kHeaderBytes + 24);
    const auto mac = hmacSha1(key, bytes_);
    return add(kMessageIntegrity, mac);
}

std::optional<std::string> Response::attribute(std::uint16_t wanted) const {
    for (const auto& [type, value] : attributes) {
        if (type == wanted) return value;
    }
    return std::nullopt;
}

std::optional<int> Response::errorCode() const {
    auto value = attribute(kErrorCode);
    if (!value || value->size() < 4) return std::nullopt;
    return (static_cast<std::uint8_t>((*value)[2]) & 0x07) * 100 + static_cast<std::uint8_t>((*value)[3]);
}

std::optional<Address> Response::xorAddress(std::uint16_t type) const {
    auto value = attribute(type);
    if (!value || value->size() != 8 || (*value)[1] != 0x01) return std::nullopt;  // IPv4 only
    const std::uint16_t port = get16(*value, 2) ^ static_cast<std::uint16_t>(kMagicCookie >> 16);
    std::uint32_t ip = 0;
    for (int i = 0; i < 4; ++i) ip = (ip << 8) | static_cast<std::uint8_t>((*value)[4 + i]);
    ip ^= kMagicCookie;
    in_addr address{htonl(ip)};
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address, text, sizeof text);
    return Address{text, port};
}

bool Response::integrityMatches(std::string_view key) const {
    // Find MESSAGE-INTEGRITY's offset in the raw message, then recompute as the sender did.
    std::size_t at = kHeaderBytes;
    while (at + 4 <= raw.size()) {
        const auto type = get16(raw, at);
        const auto length = get16(raw, at + 2);
        if (type == kMessageIntegrity) {
            if (length != 20 || at + 24 > raw.size()) return false;
            std::string signedPart = raw.substr(0, at);
            setLength(signedPart, at - kHeaderBytes + 24);
            const auto expected = hmacSha1(key, signedPart);
            return CRYPTO_memcmp(expected.data(), raw.data() + at + 4, 20) == 0;
        }
        at += 4 + length + (4 - length % 4) % 4;
    }
    return false;
}

std::optional<Response> parse(std::string_view bytes) {
    if (bytes.size() < kHeaderBytes || (static_cast<std::uint8_t>(bytes[0]) & 0xC0) != 0) return std::nullopt;
    const std::size_t length = get16(bytes, 2);
    if (length % 4 != 0 || kHeaderBytes + length != bytes.size()) return std::nullopt;
    std::uint32_t cookie = 0;
    for (int i = 4; i < 8; ++i) cookie = (cookie << 8) | static_cast<std::uint8_t>(bytes[i]);
    if (cookie != kMagicCookie) return std::nullopt;

    Response response;
    response.type = get16(bytes, 0);
    std::memcpy(response.id.data(), bytes.data() + 8, 12);
    response.raw = std::string(bytes);
    std::size_t at = kHeaderBytes;
    while (at < bytes.size()) {
        if (at + 4 > bytes.size()) return std::nullopt;
        const auto type = get16(bytes, at);
        const std::size_t valueLength = get16(bytes, at + 2);
        if (at + 4 + valueLength > bytes.size()) return std::nullopt;
        response.attributes.emplace_back(type, std::string(bytes.substr(at + 4, valueLength)));
        at += 4 + valueLength + (4 - valueLength % 4) % 4;
    }
    return response;
}

std::string longTermKey(std::string_view username, std::string_view realm, std::string_view password) {
    const std::string input = std::string(username) + ":" + std::string(realm) + ":" + std::string(password);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_md5(), nullptr);
    return std::string(reinterpret_cast<char*>(digest), length);
}

UdpClient::UdpClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
        ::close(fd_);
        throw std::runtime_error("connect: " + std::string(std::strerror(errno)));
    }
}

UdpClient::~UdpClient() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<Response> UdpClient::exchange(const Request& request, const TransactionId& id,
                                            std::chrono::milliseconds limit) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + limit;
    // Resend every 200 ms: a datagram may be dropped (or the server may not be up yet).
    constexpr auto kResend = std::chrono::milliseconds(200);
    while (Clock::now() < deadline) {
        // A refused datagram (nothing listening yet) shows up as an error on a later call.
        (void)::send(fd_, request.bytes().data(), request.bytes().size(), 0);
        const auto resendAt = std::min(deadline, Clock::now() + kResend);
        while (Clock::now() < resendAt) {
            pollfd p{fd_, POLLIN, 0};
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(resendAt - Clock::now());
            if (::poll(&p, 1, static_cast<int>(std::max<long>(1, wait.count()))) <= 0) continue;
            char buffer[2048];
            const auto received = ::recv(fd_, buffer, sizeof buffer, 0);
            if (received <= 0) continue;  // ECONNREFUSED from an earlier send: try again
            auto response = parse(std::string_view(buffer, static_cast<std::size_t>(received)));
            if (response && response->id == id) return response;
        }
    }
    return std::nullopt;
}

}  // namespace parley::itest::stun
