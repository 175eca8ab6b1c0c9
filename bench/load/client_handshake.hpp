#pragma once
// The client's half of the WebSocket opening handshake (RFC 6455 4.1): the HTTP upgrade
// request, and the check that the answer is a 101 carrying the Sec-WebSocket-Accept that
// matches our key (so it really came from a WebSocket server that read our request).
#include <optional>
#include <string>
#include <string_view>

#include "client_framing.hpp"

namespace parley::bench {

// A fresh Sec-WebSocket-Key: 16 bytes from `keys`, base64-encoded.
std::string makeWebSocketKey(MaskKeys& keys);

std::string makeUpgradeRequest(std::string_view host, std::string_view path, std::string_view key);

// The Sec-WebSocket-Accept a server must answer to `key`.
std::string expectedAccept(std::string_view key);

// Where the response head ends (just past the blank line), or nullopt while incomplete.
std::optional<std::size_t> responseHeadEnd(std::string_view bytes);

// Nullopt when `head` (status line and headers) accepts the upgrade for `key`; else why not.
std::optional<std::string> checkUpgradeResponse(std::string_view head, std::string_view key);

}  // namespace parley::bench
