#pragma once
// The real browser SDPs in tests/unit/media/sdp/ (captured by capture.mjs).
#include <fstream>
#include <sstream>
#include <string>

namespace parley::media::test {

inline std::string readSdpFile(const std::string& name) {
    std::ifstream in(std::string(PARLEY_SDP_TEST_DATA) + "/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline const char* const kCapturedSdps[] = {
    "chromium-offer-audio-video.sdp",  "chromium-answer-audio-video.sdp", "chromium-offer-recvonly.sdp",
    "chromium-answer-to-recvonly.sdp", "chromium-offer-simulcast.sdp",    "firefox-offer-audio-video.sdp",
    "firefox-answer-audio-video.sdp",  "firefox-offer-recvonly.sdp",      "firefox-answer-to-recvonly.sdp",
    // Firefox's re-offer (screen share added) after two server re-offers, from accept_check.mjs.
    "firefox-reoffer-bundle-only.sdp",
};

}  // namespace parley::media::test
