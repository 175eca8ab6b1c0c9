#pragma once
// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF). WebSocket text messages must be; a message that is not fails the connection (1007).
#include <string_view>

namespace parley::net {

bool isValidUtf8(std::string_view text);

}  // namespace parley::net
