#include "core/ids.hpp"

namespace parley::core {

std::string RandomIdSource::nextParticipantId() {
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::uint64_t v = rng_();
    std::string id(12, '0');
    id[0] = 'p';
    for (std::size_t i = 1; i < id.size(); ++i) {
        id[i] = kDigits[v % 36];
        v /= 36;
    }
    return id;
}

}  // namespace parley::core
