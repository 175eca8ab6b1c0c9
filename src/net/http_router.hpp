#pragma once
// What the server answers to a plain HTTP request (everything except the WebSocket upgrade).
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

namespace parley::net {

class ServerState;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// GET/HEAD only, except POST /admin/tokens. "/" and "/r/<room>" serve index.html (the client
// routes itself), "/health" the health JSON, any other path the web client file of that name.
// With --test-hooks, also the test-only "/test/..." endpoints (net/test_hooks.hpp).
// `client` is the client's IP address (wrong admin tokens are throttled per address).
boost::beast::http::message_generator respond(const HttpRequest& request, ServerState& state,
                                              const std::string& client);

// A short text/plain response, also used by the session for requests it cannot parse and
// upgrades it refuses. `code`, when given, is a stable reason on the body's first line after
// the status text ("Forbidden: origin-not-allowed").
boost::beast::http::message_generator plainResponse(boost::beast::http::status status,
                                                    unsigned version, bool keepAlive,
                                                    std::string_view code = {});

}  // namespace parley::net
