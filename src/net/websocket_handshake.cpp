#include "net/websocket_handshake.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/evp.h>

#include "auth/crypto.hpp"

namespace parley::net {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool isBase64Of16Bytes(std::string_view key) {
    // 16 bytes are 22 characters of base64 and "==".
    if (key.size() != 24 || key.substr(22) != "==") return false;
    return std::all_of(key.begin(), key.begin() + 22, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
    });
}

std::string sha1(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha1(), nullptr);
    return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

HandshakeCheck checkHandshake(std::string_view version, std::string_view key) {
    if (version != "13") return {std::nullopt, HandshakeProblem::UnsupportedVersion};
    if (!isBase64Of16Bytes(key)) return {std::nullopt, HandshakeProblem::BadKey};
    std::string joined(key);
    joined.append(kGuid);
    return {auth::base64(sha1(joined)), {}};
}

std::string switchingProtocolsResponse(std::string_view acceptKey, std::string_view serverName) {
    std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: ";
    response.append(acceptKey);
    response.append("\r\nServer: ");
    response.append(serverName);
    response.append("\r\n\r\n");
    return response;
}

}  // namespace parley::net
