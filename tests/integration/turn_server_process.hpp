#pragma once
// A real coturn `turnserver` as a child process on 127.0.0.1, set up the way docs/operations.md
// tells operators to (use-auth-secret) but with nothing from /etc, a temp dir for its files,
// and loopback peers allowed. Stopped by PID.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::itest {

class TurnServerProcess {
public:
    // Where turnserver is installed, or nullopt (tests then skip, naming the package).
    static std::optional<std::string> executable();

    // Starts turnserver with `secret` as its static-auth-secret and waits (bounded) until it
    // answers a STUN Binding request. Throws if it does not.
    TurnServerProcess(const std::string& executable, const std::string& secret);
    ~TurnServerProcess();
    TurnServerProcess(const TurnServerProcess&) = delete;
    TurnServerProcess& operator=(const TurnServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    const std::string& realm() const { return realm_; }
    std::uint16_t minRelayPort() const { return minRelayPort_; }
    std::uint16_t maxRelayPort() const { return maxRelayPort_; }
    // Its log so far, for failure messages.
    std::string log() const;

private:
    void stop();

    std::string dir_;
    std::string realm_ = "parley.test";
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::uint16_t minRelayPort_ = 0;
    std::uint16_t maxRelayPort_ = 0;
};

}  // namespace parley::itest
