#include "core/media_report.hpp"

namespace parley::core {

MediaReport reportFor(const MediaReport& all, const ParticipantId& who) {
    MediaReport mine;
    mine.intervalMs = all.intervalMs;
    for (const auto& p : all.participants) {
        if (p.participant == who) mine.participants.push_back(p);
    }
    for (const auto& s : all.streams) {
        MediaStreamReport copy = s;
        copy.subscriptions.clear();
        if (s.publisher != who) {
            for (const auto& sub : s.subscriptions) {
                if (sub.subscriber == who) copy.subscriptions.push_back(sub);
            }
        }
        mine.streams.push_back(std::move(copy));
    }
    return mine;
}

}  // namespace parley::core
