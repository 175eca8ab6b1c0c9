#pragma once
// One participant's signaling connection over TLS: Beast's WebSocket stream, whose text frames
// go to the Gateway and whose outgoing frames wait in a bounded queue. (Plain TCP connections use
// Parley's own framing: plain_websocket_session.hpp.)
#include <string>

#include "core/connection_limit.hpp"
#include "net/http_router.hpp"
#include "net/stream_types.hpp"

namespace parley::net {

class ServerState;

// Take over an HTTP connection whose request is a WebSocket upgrade for /ws. The session
// keeps the connection's slot (its count against the per-address limit) until it ends.
void startWebSocketSession(TlsStream stream, HttpRequest upgrade, ServerState& state, std::string remote,
                           core::ConnectionSlot slot);

}  // namespace parley::net
