#pragma once
// The identifiers a log message carries as `key=value` words ("join room=r1 id=p2 session=7
// size=2"), picked out for the JSON log's own fields, so a collector filters on `.room` or
// `.session` instead of matching text. Pure: the message text is all it reads.
#include <array>
#include <string_view>

namespace parley::app {

// The keys that become fields: who and where (room, participant, session, remote address) and
// what came of it (code, reason, outcome, kind, from, to). Each at most once, the first.
inline constexpr std::array<std::string_view, 11> kLogFieldKeys = {
    "room", "id", "participant", "session", "remote", "code", "reason", "outcome", "kind", "from", "to"};

// Calls visit(key, value) for each such word of `message`, in order. A value runs to the next
// space, without a trailing ',', ';', ':' or ')'; an empty one is skipped.
template <class Visit>
void forEachLogField(std::string_view message, Visit&& visit) {
    std::array<bool, kLogFieldKeys.size()> seen{};
    std::size_t at = 0;
    while (at < message.size()) {
        const std::size_t space = message.find(' ', at);
        const std::string_view word = message.substr(at, space == std::string_view::npos ? std::string_view::npos : space - at);
        at = space == std::string_view::npos ? message.size() : space + 1;
        const std::size_t equals = word.find('=');
        if (equals == std::string_view::npos || equals == 0) continue;
        const std::string_view key = word.substr(0, equals);
        std::string_view value = word.substr(equals + 1);
        while (!value.empty() && (value.back() == ',' || value.back() == ';' || value.back() == ':' || value.back() == ')')) {
            value.remove_suffix(1);
        }
        if (value.empty()) continue;
        for (std::size_t k = 0; k < kLogFieldKeys.size(); ++k) {
            if (kLogFieldKeys[k] != key || seen[k]) continue;
            seen[k] = true;
            visit(key, value);
        }
    }
}

}  // namespace parley::app
