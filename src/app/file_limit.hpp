#pragma once
// Every WebSocket is a file descriptor, and the usual soft limit (1,024) would cap the server
// far below what one core can carry. Raising the soft limit up to the hard one needs no
// privilege, so the server does it itself instead of relying on how it was started.
#include <cstdint>
#include <string>

namespace parley::app {

struct FileLimit {
    std::uint64_t before = 0;  // soft limit found at start
    std::uint64_t now = 0;     // soft limit in force afterwards
    std::string error;         // why it could not be raised (empty when fine)
};

FileLimit raiseOpenFileLimit();

}  // namespace parley::app
