#pragma once
// Test-only HTTP endpoints, off unless the server runs with --test-hooks (then 404 like any
// unknown path). Browser tests use them to cause what a network would: e.g.
// `POST /test/drop?room=R&participant=P` cuts that participant's socket without a close
// handshake, as a network blip does, so the client's automatic resume can be exercised;
// `POST /test/stall?room=R&participant=P` leaves it open but reads and writes nothing more,
// as a path that died without a reset does (a phone moving from Wi-Fi to LTE).
#include <string_view>

#include <boost/beast/http/message_generator.hpp>

#include "net/http_router.hpp"

namespace parley::net {

class ServerState;

// `path` is the decoded path ("/test/..."); the query comes from the request target.
boost::beast::http::message_generator testHookResponse(const HttpRequest& request, std::string_view path,
                                                       ServerState& state);

}  // namespace parley::net
