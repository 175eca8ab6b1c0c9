#pragma once
// One bounded HTTP/1.1 GET against 127.0.0.1, the target sent exactly as given (no
// normalisation), so path traversal attempts reach the server unchanged.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::itest {

struct HttpResponse {
    unsigned status = 0;
    std::string contentType;
    std::string body;
    std::string location;  // the Location header, if any
};

// Throws when the server does not answer in time.
// `authorization`, when given, is sent as the Authorization header.
HttpResponse httpGet(std::uint16_t port, std::string_view target, std::string_view authorization = {});
// The same with POST and an empty body.
HttpResponse httpPost(std::uint16_t port, std::string_view target);

// Any one request: method, target, extra headers (e.g. an upgrade's) and body.
struct HttpCall {
    std::string method = "GET";
    std::string target = "/";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string from = "127.0.0.1";  // the local address to connect from
};
HttpResponse httpCall(std::uint16_t port, const HttpCall& call);

// The headers of a WebSocket upgrade for /ws, plus `origin` when not empty.
std::vector<std::pair<std::string, std::string>> upgradeHeaders(std::string_view origin = {});

}  // namespace parley::itest
