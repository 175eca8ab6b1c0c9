#include "protocol/validation.hpp"

namespace parley::protocol {

bool isValidRoomId(std::string_view room) {
    if (room.size() < 3 || room.size() > 64) return false;
    if (room.front() == '-' || room.back() == '-') return false;
    for (char c : room) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::size_t codePointCount(std::string_view utf8) {
    std::size_t n = 0;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Decodes the code point starting at s[i] (valid UTF-8) and advances i.
char32_t next(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    return cp;
}

bool isForbidden(char32_t cp) {
    if (cp < 0x20 || cp == 0x7F) return true;                // C0 controls, DEL
    if (cp >= 0x80 && cp <= 0x9F) return true;               // C1 controls
    if (cp >= 0x202A && cp <= 0x202E) return true;           // bidi embeddings/overrides
    if (cp >= 0x2066 && cp <= 0x2069) return true;           // bidi isolates
    if (cp == 0x2028 || cp == 0x2029) return true;           // line/paragraph separators
    return false;
}

}  // namespace

std::optional<std::string> normalizeDisplayName(std::string_view raw) {
    while (!raw.empty() && isSpace(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && isSpace(raw.back())) raw.remove_suffix(1);
    if (raw.empty()) return std::nullopt;
    std::size_t count = 0;
    for (std::size_t i = 0; i < raw.size();) {
        if (isForbidden(next(raw, i))) return std::nullopt;
        if (++count > 64) return std::nullopt;
    }
    return std::string(raw);
}

}  // namespace parley::protocol
