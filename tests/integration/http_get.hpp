#pragma once
// One bounded HTTP/1.1 GET against 127.0.0.1, the target sent exactly as given (no
// normalisation), so path traversal attempts reach the server unchanged.
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::itest {

struct HttpResponse {
    unsigned status = 0;
    std::string contentType;
    std::string body;
};

// Throws when the server does not answer in time.
// `authorization`, when given, is sent as the Authorization header.
HttpResponse httpGet(std::uint16_t port, std::string_view target, std::string_view authorization = {});
// The same with POST and an empty body.
HttpResponse httpPost(std::uint16_t port, std::string_view target);

}  // namespace parley::itest
