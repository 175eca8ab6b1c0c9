#include "media/active_speaker.hpp"

#include <gtest/gtest.h>

using parley::media::ActiveSpeakerDetector;

namespace {

// Feeds one participant a level every 20 ms (one Opus packet) over [fromMs, toMs); returns the
// last change reported.
std::optional<std::string> speak(ActiveSpeakerDetector& d, const std::string& who, int level, std::int64_t fromMs,
                                 std::int64_t toMs, std::int64_t* changedAtMs = nullptr) {
    std::optional<std::string> last;
    for (std::int64_t t = fromMs; t < toMs; t += 20) {
        if (auto change = d.onAudioLevel(who, level, t)) {
            last = change;
            if (changedAtMs) *changedAtMs = t;
        }
    }
    return last;
}

}  // namespace

TEST(ActiveSpeaker, SustainedSpeechTakesOverAfterTheSustainPeriod) {
    ActiveSpeakerDetector d;
    std::int64_t at = -1;
    EXPECT_EQ(speak(d, "alice", 30, 0, 1000, &at), "alice");
    EXPECT_GE(at, 400);
    EXPECT_LE(at, 500);
    EXPECT_EQ(d.dominant(), "alice");
}

TEST(ActiveSpeaker, ChangesAreReportedOnce) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 600);
    EXPECT_FALSE(speak(d, "alice", 30, 600, 2000));
}

TEST(ActiveSpeaker, ShortBurstDoesNotTakeOver) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    speak(d, "alice", 127, 1000, 2000);
    // A cough: 200 ms loud.
    EXPECT_FALSE(speak(d, "bob", 10, 2000, 2200));
    EXPECT_FALSE(speak(d, "bob", 127, 2200, 3000));
    EXPECT_EQ(d.dominant(), "alice");
}

TEST(ActiveSpeaker, BackgroundNoiseIsNotSpeech) {
    ActiveSpeakerDetector d;
    EXPECT_FALSE(speak(d, "bob", 70, 0, 5000));
    EXPECT_FALSE(d.dominant());
}

TEST(ActiveSpeaker, SilenceDoesNotClearTheDominantSpeaker) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    EXPECT_FALSE(speak(d, "alice", 127, 1000, 5000));
    EXPECT_EQ(d.dominant(), "alice");
    // Nor do levels stopping altogether (muted).
    EXPECT_FALSE(speak(d, "bob", 127, 5000, 9000));
    EXPECT_EQ(d.dominant(), "alice");
}

TEST(ActiveSpeaker, PausesBetweenWordsDoNotResetTheSustainedPeriod) {
    ActiveSpeakerDetector d;
    std::optional<std::string> change;
    // 140 ms words and 60 ms pauses at background-noise level, for a second.
    for (std::int64_t t = 0; t < 1000 && !change; t += 200) {
        if (auto c = speak(d, "alice", 30, t, t + 140)) change = c;
        if (auto c = speak(d, "alice", 75, t + 140, t + 200)) change = c;
    }
    EXPECT_EQ(change, "alice");
}

TEST(ActiveSpeaker, AnotherSpeakerTakesOverWhenTheCurrentOneStops) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    speak(d, "alice", 127, 1000, 3000);
    std::int64_t at = -1;
    EXPECT_EQ(speak(d, "bob", 40, 1500, 2500, &at), "bob");
    EXPECT_GE(at, 1900);
}

TEST(ActiveSpeaker, TalkingOverTheSpeakerNeedsToBeClearlyLouder) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    // Both talk; bob about as loud: alice keeps the floor.
    std::optional<std::string> change;
    for (std::int64_t t = 1000; t < 3000; t += 20) {
        if (auto c = d.onAudioLevel("alice", 30, t)) change = c;
        if (auto c = d.onAudioLevel("bob", 28, t)) change = c;
    }
    EXPECT_FALSE(change);
    // Bob much louder: he takes over.
    for (std::int64_t t = 3000; t < 4000 && !change; t += 20) {
        if (auto c = d.onAudioLevel("alice", 30, t)) change = c;
        if (auto c = d.onAudioLevel("bob", 10, t)) change = c;
    }
    EXPECT_EQ(change, "bob");
}

TEST(ActiveSpeaker, StaleLevelsCountAsSilence) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    // Alice's packets stop while she was loud (her level is stale after 1 s); bob talks at a
    // level that could not take over from a speaking alice.
    EXPECT_FALSE(speak(d, "bob", 32, 1000, 1900));
    EXPECT_EQ(speak(d, "bob", 32, 1900, 2600), "bob");
}

TEST(ActiveSpeaker, AStaleParticipantStartsAgainFromSilence) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 300);  // not yet long enough
    // 2 s later, 200 ms more: the earlier 300 ms does not count towards the sustain period.
    EXPECT_FALSE(speak(d, "alice", 30, 2300, 2500));
    EXPECT_EQ(speak(d, "alice", 30, 2500, 3000), "alice");
}

TEST(ActiveSpeaker, RemovingTheDominantSpeakerClearsIt) {
    ActiveSpeakerDetector d;
    speak(d, "alice", 30, 0, 1000);
    d.remove("alice");
    EXPECT_FALSE(d.dominant());
    EXPECT_EQ(speak(d, "bob", 30, 1000, 2000), "bob");
}

TEST(ActiveSpeaker, LevelsOutOfRangeAreClamped) {
    ActiveSpeakerDetector d;
    EXPECT_FALSE(speak(d, "alice", 200, 0, 1000));
    EXPECT_EQ(speak(d, "bob", -5, 0, 1000), "bob");
}
