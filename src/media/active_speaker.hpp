#pragma once
// The dominant speaker of a room, from the RFC 6464 audio levels the publishers' audio packets
// carry (0 = loudest, 127 = silence, in -dBov).
//
// Each participant's level is smoothed over time (a burst of noise is not speech). A participant
// is speaking from the moment the smoothed level gets at least as loud as speechLevel until it
// falls quieter than quietLevel (two thresholds, so the pauses between words do not end it).
// To take over, a participant must have been speaking for sustainMs, and be louder than the
// current dominant speaker by switchMarginDb if that one is still speaking. Silence never
// clears the dominant speaker by itself (the last one who spoke keeps the big tile); levels
// older than staleMs count as silence (a muted or DTX sender sends none).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace parley::media {

struct ActiveSpeakerConfig {
    int speechLevel = 50;  // -50 dBov or louder starts speech
    int quietLevel = 65;   // quieter than -65 dBov ends it
    std::int64_t sustainMs = 400;
    std::int64_t staleMs = 1000;
    std::int64_t smoothingMs = 100;  // time constant of the smoothing
    int switchMarginDb = 6;
};

class ActiveSpeakerDetector {
public:
    explicit ActiveSpeakerDetector(ActiveSpeakerConfig config = {});

    // Records one packet's level (values above 127 are taken as 127). Returns the new dominant
    // speaker when this changes it, nullopt when it stays.
    std::optional<std::string> onAudioLevel(const std::string& participant, int level, std::int64_t nowMs);

    // The participant left: forgotten, and no longer dominant (no change is reported, the
    // caller knows they left).
    void remove(const std::string& participant);

    const std::optional<std::string>& dominant() const { return dominant_; }

private:
    struct Speaker {
        double loudness = 0;  // smoothed, 127 - level: higher is louder
        std::int64_t lastSampleMs = 0;
        std::optional<std::int64_t> speakingSinceMs;
    };

    bool speakingAt(const Speaker& s, std::int64_t nowMs) const;
    std::optional<std::string> evaluate(std::int64_t nowMs);

    ActiveSpeakerConfig config_;
    std::unordered_map<std::string, Speaker> speakers_;
    std::optional<std::string> dominant_;
};

}  // namespace parley::media
