#pragma once
// Each connection is one file descriptor; the default soft limit (often 1,024) would stop a
// large run long before the server does.
#include <cstdint>
#include <string>

namespace parley::bench {

// Raises RLIMIT_NOFILE to at least `wanted` (the hard limit too, when privileged).
// Returns the soft limit now in force; `note` explains a shortfall.
std::uint64_t raiseFileLimit(std::uint64_t wanted, std::string& note);

}  // namespace parley::bench
