#pragma once
// A protocol::Outbound for tests: every frame the gateway sends, parsed, per session, and the
// closes it asked for.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "protocol/gateway.hpp"

namespace parley::unit {

struct CapturedFrames : protocol::Outbound {
    std::map<protocol::SessionId, std::vector<boost::json::object>> frames;
    std::vector<std::pair<protocol::SessionId, std::uint16_t>> closed;

    void close(protocol::SessionId s, std::uint16_t code, std::string_view) override { closed.emplace_back(s, code); }
    void send(protocol::SessionId to, protocol::Frame f) override {
        frames[to].push_back(boost::json::parse(*f).as_object());
    }
    boost::json::object last(protocol::SessionId s) {
        EXPECT_FALSE(frames[s].empty());
        return frames[s].empty() ? boost::json::object{} : frames[s].back();
    }
    std::size_t count(protocol::SessionId s) { return frames[s].size(); }
};

}  // namespace parley::unit
