#pragma once
// The web client compiled into the binary. The definition is generated at build time from
// web/ by cmake/embed_web.cmake.
#include <cstddef>
#include <span>
#include <string_view>

namespace parley::net {

struct EmbeddedWebFile {
    std::string_view path;  // URL path, e.g. "/app.js"
    const unsigned char* bytes;
    std::size_t size;
};

std::span<const EmbeddedWebFile> embeddedWebFiles();

}  // namespace parley::net
