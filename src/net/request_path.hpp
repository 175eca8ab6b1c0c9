#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

// The path of an HTTP request target ("/a/b.js?x=1" -> "/a/b.js"), percent-decoded.
// nullopt when the target is malformed or could reach outside the web root: not starting
// with '/', a bad %-escape, NUL or other control characters, a backslash, or a "." / ".."
// segment (checked after decoding, so "%2e%2e" is refused too).
std::optional<std::string> safeRequestPath(std::string_view target);

}  // namespace parley::net
