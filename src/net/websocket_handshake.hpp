#pragma once
// The server's half of the WebSocket opening handshake (RFC 6455, section 4.2): checks what
// Beast's is_upgrade() does not, and builds the 101 response.
#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

enum class HandshakeProblem {
    UnsupportedVersion,  // Sec-WebSocket-Version is not 13: HTTP 426 naming 13
    BadKey,              // Sec-WebSocket-Key is not 16 bytes in base64: HTTP 400
};

// The Sec-WebSocket-Accept value for a client's key, or the problem with the request.
struct HandshakeCheck {
    std::optional<std::string> acceptKey;
    HandshakeProblem problem{};
};
HandshakeCheck checkHandshake(std::string_view version, std::string_view key);

std::string switchingProtocolsResponse(std::string_view acceptKey, std::string_view serverName);

}  // namespace parley::net
