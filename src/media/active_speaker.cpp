#include "media/active_speaker.hpp"

#include <algorithm>

namespace parley::media {

namespace {

constexpr int kSilentLevel = 127;

}  // namespace

ActiveSpeakerDetector::ActiveSpeakerDetector(ActiveSpeakerConfig config) : config_(config) {}

bool ActiveSpeakerDetector::speakingAt(const Speaker& s, std::int64_t nowMs) const {
    return s.speakingSinceMs && nowMs - s.lastSampleMs <= config_.staleMs;
}

std::optional<std::string> ActiveSpeakerDetector::onAudioLevel(const std::string& participant, int level,
                                                               std::int64_t nowMs) {
    const double loudness = kSilentLevel - std::clamp(level, 0, kSilentLevel);
    auto [it, fresh] = speakers_.try_emplace(participant);
    Speaker& s = it->second;
    const std::int64_t gapMs = nowMs - s.lastSampleMs;
    if (fresh || gapMs > config_.staleMs) {
        // What came before is too old to smooth with: start from this sample, as from silence.
        s.loudness = loudness;
        s.speakingSinceMs.reset();
    } else {
        // Exponential smoothing by elapsed time, so irregular packet spacing weighs correctly.
        const double dt = static_cast<double>(std::max<std::int64_t>(0, gapMs));
        s.loudness += dt / (static_cast<double>(config_.smoothingMs) + dt) * (loudness - s.loudness);
    }
    s.lastSampleMs = nowMs;

    if (s.speakingSinceMs) {
        if (s.loudness < kSilentLevel - config_.quietLevel) s.speakingSinceMs.reset();
    } else if (s.loudness >= kSilentLevel - config_.speechLevel) {
        s.speakingSinceMs = nowMs;
    }
    return evaluate(nowMs);
}

std::optional<std::string> ActiveSpeakerDetector::evaluate(std::int64_t nowMs) {
    const Speaker* current = nullptr;
    if (dominant_) {
        auto it = speakers_.find(*dominant_);
        if (it != speakers_.end() && speakingAt(it->second, nowMs)) current = &it->second;
    }
    const std::string* best = nullptr;
    const Speaker* bestSpeaker = nullptr;
    for (const auto& [id, s] : speakers_) {
        if (dominant_ && id == *dominant_) continue;
        if (!speakingAt(s, nowMs) || nowMs - *s.speakingSinceMs < config_.sustainMs) continue;
        // Ties go to the smaller id, so the outcome never depends on the map's order.
        if (!bestSpeaker || s.loudness > bestSpeaker->loudness ||
            (s.loudness == bestSpeaker->loudness && id < *best)) {
            best = &id;
            bestSpeaker = &s;
        }
    }
    if (!bestSpeaker) return std::nullopt;
    if (current && bestSpeaker->loudness < current->loudness + config_.switchMarginDb) return std::nullopt;
    dominant_ = *best;
    return dominant_;
}

void ActiveSpeakerDetector::remove(const std::string& participant) {
    speakers_.erase(participant);
    if (dominant_ == participant) dominant_.reset();
}

}  // namespace parley::media
