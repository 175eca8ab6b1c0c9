#pragma once
// Node ids (--node-id) and the per-process instance id: short, printable, safe in Redis keys
// and URLs.
#include <string>
#include <string_view>

namespace parley::cluster {

// 1-64 characters of [A-Za-z0-9._-].
bool isValidNodeId(std::string_view id);

// A fresh random id: "node-" and 16 hex digits (64 bits from the system's CSPRNG), so two
// nodes started without --node-id never pick the same one in practice.
std::string randomNodeId();
// 32 hex digits (128 bits) that tell one start of a node from another.
std::string randomInstanceId();

}  // namespace parley::cluster
