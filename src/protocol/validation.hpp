#pragma once
// The rules for room ids and display names (docs/protocol.md, "Validation").
#include <optional>
#include <string>
#include <string_view>

namespace parley::protocol {

// 3–64 of a-z, 0-9 and '-', not starting or ending with '-'.
bool isValidRoomId(std::string_view room);

// Trims surrounding white space; returns the name when it has 1–64 code points and no control
// characters (C0, DEL, C1, bidi overrides, line/paragraph separators), nullopt otherwise.
// The input is valid UTF-8 (the JSON parser guarantees it).
std::optional<std::string> normalizeDisplayName(std::string_view raw);

// Number of Unicode code points in valid UTF-8.
std::size_t codePointCount(std::string_view utf8);

}  // namespace parley::protocol
