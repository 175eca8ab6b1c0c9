#include "core/room_settings.hpp"

namespace parley::core {

std::string_view toString(Admission a) {
    switch (a) {
        case Admission::Open: return "open";
        case Admission::Knock: return "knock";
        case Admission::OneAtATime: return "one-at-a-time";
    }
    return "open";
}

std::optional<Admission> admissionFromString(std::string_view s) {
    if (s == "open") return Admission::Open;
    if (s == "knock") return Admission::Knock;
    if (s == "one-at-a-time") return Admission::OneAtATime;
    return std::nullopt;
}

}  // namespace parley::core
