#include "cluster/node_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace parley::cluster {

namespace {

std::string randomHex(std::size_t bytes) {
    std::array<unsigned char, 32> random{};
    if (bytes > random.size() || RAND_bytes(random.data(), static_cast<int>(bytes)) != 1) {
        throw std::runtime_error("cannot draw random bytes for a node id");
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (std::size_t i = 0; i < bytes; ++i) {
        hex.push_back(kDigits[random[i] >> 4]);
        hex.push_back(kDigits[random[i] & 0xf]);
    }
    return hex;
}

}  // namespace

bool isValidNodeId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string randomNodeId() { return "node-" + randomHex(8); }
std::string randomInstanceId() { return randomHex(16); }

}  // namespace parley::cluster
