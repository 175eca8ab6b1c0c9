#pragma once
// A participant's signaling connection over plain TCP, with Parley's own RFC 6455 framing
// instead of Beast's stream: nothing is allocated for an idle connection beyond the session
// itself, reads go into one buffer shared by all sessions, and frames leave straight from the
// shared Frame strings, several per system call when they pile up. (TLS connections keep
// Beast's stream: websocket_session.hpp.)
#include <string>
#include <string_view>

#include "core/connection_limit.hpp"
#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

// Takes over a socket whose upgrade request was accepted: sends `handshakeResponse` (the 101),
// then treats `early` (bytes the client sent after its request, already read) as the first
// bytes of the WebSocket stream.
void startPlainWebSocketSession(Socket socket, std::string handshakeResponse,
                                std::string_view early, ServerState& state, std::string remote,
                                core::ConnectionSlot slot);

}  // namespace parley::net
