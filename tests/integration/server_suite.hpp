#pragma once
// A gtest fixture whose suite shares one parley process (started once per suite, which
// ctest runs as one process). A suite passes extra server flags by defining
//   static std::vector<std::string> serverFlags();
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace parley::itest {

template <class Suite>
class ServerSuite : public ::testing::Test {
public:
    static std::vector<std::string> serverFlags() { return {}; }

    static void SetUpTestSuite() {
        try {
            server_ = std::make_unique<ServerProcess>(Suite::serverFlags());
        } catch (const std::exception& e) {
            startError_ = e.what();
        }
    }
    static void TearDownTestSuite() { server_.reset(); }

protected:
    void SetUp() override {
        ASSERT_TRUE(server_) << "parley did not start: " << startError_;
    }
    static std::uint16_t port() { return server_->port(); }
    static ServerProcess& server() { return *server_; }

private:
    static inline std::unique_ptr<ServerProcess> server_;
    static inline std::string startError_;
};

}  // namespace parley::itest
