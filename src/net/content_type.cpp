#include "net/content_type.hpp"

#include <array>
#include <utility>

namespace parley::net {

namespace {

// Text types name their charset so browsers never guess (the client is UTF-8 throughout).
constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".wav", "audio/wav"},
    {".map", "application/json"},
}};

}  // namespace

std::string_view contentTypeFor(std::string_view path) {
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
        return "application/octet-stream";
    }
    const auto extension = path.substr(dot);
    for (const auto& [known, type] : kTypes) {
        if (extension.size() != known.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < known.size() && same; ++i) {
            const char c = extension[i];
            same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == known[i];
        }
        if (same) return type;
    }
    return "application/octet-stream";
}

}  // namespace parley::net
