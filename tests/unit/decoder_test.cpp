#include "protocol/decoder.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace parley::protocol;
using parley::core::ErrorCode;
using parley::core::RelayKind;

namespace {

DecodeError refused(std::string_view text) {
    auto r = decode(text);
    EXPECT_TRUE(std::holds_alternative<DecodeError>(r)) << text;
    return std::holds_alternative<DecodeError>(r) ? std::get<DecodeError>(r) : DecodeError{};
}

Message accepted(std::string_view text) {
    auto r = decode(text);
    if (auto* e = std::get_if<DecodeError>(&r)) {
        ADD_FAILURE() << text << " refused: " << e->message;
        return {};
    }
    return std::get<Message>(r);
}

}  // namespace

TEST(Decoder, Join) {
    auto m = accepted(R"({"type":"join","req":1,"v":1,"room":"abc-1","name":" Al ","media":{"mic":true,"cam":false}})");
    EXPECT_EQ(m.req, "1");
    auto& j = std::get<Join>(m.body);
    EXPECT_EQ(j.room, "abc-1");
    EXPECT_EQ(j.name, "Al");
    EXPECT_TRUE(j.media.mic);
    EXPECT_FALSE(j.media.cam);
    EXPECT_FALSE(j.media.screen);
}

TEST(Decoder, JoinRefusals) {
    EXPECT_EQ(refused(R"({"type":"join","room":"abc","name":"A"})").code, ErrorCode::MissingField);
    EXPECT_EQ(refused(R"({"type":"join","v":"1","room":"abc","name":"A"})").code, ErrorCode::InvalidField);
    EXPECT_EQ(refused(R"({"type":"join","v":2,"room":"abc","name":"A"})").code, ErrorCode::UnsupportedVersion);
    EXPECT_EQ(refused(R"({"type":"join","v":1,"room":"A B","name":"A"})").code, ErrorCode::InvalidRoom);
    EXPECT_EQ(refused(R"({"type":"join","v":1,"room":7,"name":"A"})").code, ErrorCode::InvalidRoom);
    EXPECT_EQ(refused(R"({"type":"join","v":1,"room":"abc","name":""})").code, ErrorCode::InvalidName);
    EXPECT_EQ(refused(R"({"type":"join","v":1,"room":"abc","name":null})").code, ErrorCode::InvalidName);
    auto missing = refused(R"({"type":"join","v":1,"name":"A"})");
    EXPECT_EQ(missing.code, ErrorCode::MissingField);
    EXPECT_EQ(missing.field, "room");
    auto media = refused(R"({"type":"join","v":1,"room":"abc","name":"A","media":{"mic":1}})");
    EXPECT_EQ(media.code, ErrorCode::InvalidField);
    EXPECT_EQ(media.field, "media.mic");
}

TEST(Decoder, FrameLevelRefusals) {
    EXPECT_EQ(refused("{not json").code, ErrorCode::BadJson);
    EXPECT_EQ(refused("").code, ErrorCode::BadJson);
    EXPECT_EQ(refused("[1,2]").code, ErrorCode::BadMessage);
    EXPECT_EQ(refused(R"({"no":"type"})").code, ErrorCode::BadMessage);
    EXPECT_EQ(refused(R"({"type":5})").code, ErrorCode::BadMessage);
    EXPECT_EQ(refused(R"({"type":"dance","req":"x"})").code, ErrorCode::UnknownType);
    EXPECT_EQ(refused(R"({"type":"dance","req":"x"})").req, "\"x\"");
    EXPECT_EQ(refused(R"({"type":"ping","req":{"a":1}})").code, ErrorCode::InvalidField);
    EXPECT_EQ(refused(R"({"type":"ping","req":1.5})").field, "req");
    std::string deep(100, '[');
    EXPECT_EQ(refused(deep).code, ErrorCode::BadJson);
}

TEST(Decoder, OfferAndAnswerPassSdpThroughAsJsonText) {
    auto m = accepted(R"({"type":"offer","to":"p2","sdp":"v=0\r\nline\"q\""})");
    auto& r = std::get<Relay>(m.body);
    EXPECT_EQ(r.kind, RelayKind::Offer);
    EXPECT_EQ(r.to, "p2");
    EXPECT_EQ(r.payload, R"("v=0\r\nline\"q\"")");
    EXPECT_EQ(std::get<Relay>(accepted(R"({"type":"answer","to":"p2","sdp":""})").body).kind, RelayKind::Answer);
    EXPECT_EQ(refused(R"({"type":"offer","sdp":"x"})").field, "to");
    EXPECT_EQ(refused(R"({"type":"offer","to":"p2"})").field, "sdp");
    EXPECT_EQ(refused(R"({"type":"offer","to":"p2","sdp":5})").code, ErrorCode::InvalidField);
    std::string big = R"({"type":"offer","to":"p2","sdp":")" + std::string(60001, 'a') + "\"}";
    EXPECT_EQ(refused(big).code, ErrorCode::InvalidField);
}

TEST(Decoder, CandidateKeepsOnlyKnownFields) {
    auto m = accepted(R"({"type":"candidate","to":"p2","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":null,"evil":"x"}})");
    auto& r = std::get<Relay>(m.body);
    EXPECT_EQ(r.kind, RelayKind::Candidate);
    EXPECT_EQ(r.payload.find("evil"), std::string::npos);
    EXPECT_NE(r.payload.find("\"sdpMid\":\"0\""), std::string::npos);
    EXPECT_NE(r.payload.find("\"usernameFragment\":null"), std::string::npos);
    EXPECT_EQ(r.payload, R"({"candidate":"candidate:1 1 udp 1 127.0.0.1 5 typ host","sdpMid":"0",)"
                         R"("sdpMLineIndex":0,"usernameFragment":null})");
    // Strings are re-escaped, so what is relayed is always valid JSON with the same values.
    auto quoted = accepted(R"({"type":"candidate","to":"p2","candidate":{"candidate":"a\"b\\c\u00e9","sdpMid":"x\ny"}})");
    const auto reparsed = boost::json::parse(std::get<Relay>(quoted.body).payload).as_object();
    EXPECT_EQ(reparsed.at("candidate").as_string(), "a\"b\\c\xC3\xA9");
    EXPECT_EQ(reparsed.at("sdpMid").as_string(), "x\ny");
    EXPECT_EQ(std::get<Relay>(accepted(R"({"type":"candidate","to":"p2","candidate":null})").body).payload, "null");
    EXPECT_EQ(refused(R"({"type":"candidate","to":"p2"})").code, ErrorCode::MissingField);
    EXPECT_EQ(refused(R"({"type":"candidate","to":"p2","candidate":"x"})").code, ErrorCode::InvalidField);
    EXPECT_EQ(refused(R"({"type":"candidate","to":"p2","candidate":{"sdpMid":"0"}})").field, "candidate");
    EXPECT_EQ(refused(R"({"type":"candidate","to":"p2","candidate":{"candidate":"c","sdpMLineIndex":"0"}})").field,
              "candidate.sdpMLineIndex");
}

TEST(Decoder, MediaNeedsAllThreeFlags) {
    auto m = accepted(R"({"type":"media","mic":false,"cam":true,"screen":true,"screenStream":"{abc}"})");
    auto& media = std::get<Media>(m.body).media;
    EXPECT_TRUE(media.cam);
    EXPECT_EQ(media.screenStream, "{abc}");
    EXPECT_EQ(refused(R"({"type":"media","mic":false,"cam":true})").field, "screen");
    EXPECT_EQ(refused(R"({"type":"media","mic":false,"cam":true,"screen":false,"screenStream":7})").field, "screenStream");
}

TEST(Decoder, PingEchoesT) {
    EXPECT_EQ(std::get<Ping>(accepted(R"({"type":"ping","t":1763750412345})").body).t, "1763750412345");
    EXPECT_EQ(std::get<Ping>(accepted(R"({"type":"ping","t":"abc"})").body).t, "\"abc\"");
    EXPECT_TRUE(std::get<Ping>(accepted(R"({"type":"ping"})").body).t.empty());
}

TEST(Decoder, IgnoresUnknownExtraFieldsAndForgedFrom) {
    auto m = accepted(R"({"type":"leave","from":"p9","extra":[1,2,3]})");
    EXPECT_TRUE(std::holds_alternative<Leave>(m.body));
}

TEST(Decoder, VisibleVideosListsWhoseCameraOrScreenIsShown) {
    auto m = accepted(
        R"({"type":"visible-videos","req":3,"videos":[{"participant":"p1","source":"camera"},{"participant":"p2","source":"screen"}]})");
    const auto& v = std::get<VisibleVideos>(m.body);
    ASSERT_EQ(v.videos.size(), 2u);
    EXPECT_EQ(v.videos[0], (parley::core::VisibleVideo{"p1", "camera"}));
    EXPECT_EQ(v.videos[1], (parley::core::VisibleVideo{"p2", "screen"}));
    EXPECT_TRUE(std::get<VisibleVideos>(accepted(R"({"type":"visible-videos","videos":[]})").body).videos.empty());
}

TEST(Decoder, VisibleVideosRefusesWrongTypesAndTooMany) {
    EXPECT_EQ(refused(R"({"type":"visible-videos"})").code, ErrorCode::MissingField);
    for (const char* bad : {
             R"({"type":"visible-videos","videos":{"participant":"p1","source":"camera"}})",
             R"({"type":"visible-videos","videos":[{"participant":"p1","source":"microphone"}]})",
             R"({"type":"visible-videos","videos":[{"participant":"p1"}]})",
             R"({"type":"visible-videos","videos":[{"participant":7,"source":"camera"}]})",
             R"({"type":"visible-videos","videos":[{"participant":"","source":"camera"}]})",
             R"({"type":"visible-videos","videos":["p1"]})",
         }) {
        auto e = refused(bad);
        EXPECT_EQ(e.code, ErrorCode::InvalidField) << bad;
        EXPECT_EQ(e.field, "videos") << bad;
    }
    std::string many = R"({"type":"visible-videos","videos":[)";
    for (std::size_t i = 0; i <= kMaxVisibleVideos; ++i) {
        many += std::string(i ? "," : "") + R"({"participant":"p)" + std::to_string(i) + R"(","source":"camera"})";
    }
    many += "]}";
    EXPECT_EQ(refused(many).code, ErrorCode::InvalidField);
}
