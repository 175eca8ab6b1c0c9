#pragma once
#include <string_view>

namespace parley::net {

// The Content-Type for a file, by its extension; application/octet-stream when unknown.
std::string_view contentTypeFor(std::string_view path);

}  // namespace parley::net
