#pragma once
#include <cstdint>
#include <filesystem>

namespace parley::app {

// Writes "PORT\n" to `file` atomically (a temporary beside it, then rename), so a reader
// polling for the file never sees it half-written. Throws std::runtime_error on failure.
void writePortFile(const std::filesystem::path& file, std::uint16_t port);

}  // namespace parley::app
