#pragma once
// A real `redis-server` (Debian's 7.0) as a child process on 127.0.0.1: a free port, nothing
// from /etc, no persistence (--save "" --appendonly no), its files in a temp dir. Stopped by
// PID. It can be killed and started again on the same port, as a Redis outage looks to the
// nodes that use it.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::itest {

class RedisServerProcess {
public:
    // Where redis-server is installed, or nullopt (tests then skip, naming the package).
    static std::optional<std::string> executable();

    // Starts redis-server and waits (bounded) until it answers PING. `extraArgs` are more
    // redis-server flags, e.g. {"--requirepass", "secret"}. Throws if it does not come up.
    explicit RedisServerProcess(std::vector<std::string> extraArgs = {});
    ~RedisServerProcess();
    RedisServerProcess(const RedisServerProcess&) = delete;
    RedisServerProcess& operator=(const RedisServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    // redis://127.0.0.1:PORT
    std::string url() const;
    bool running() const { return pid_ > 0; }

    // SIGKILL, as a crash: no shutdown, connections cut.
    void kill();
    // Starts it again on the same port (empty, since nothing persists) and waits until it
    // answers. Throws if it does not.
    void restart();
    // SIGTERM, then SIGKILL if it does not end in time. Idempotent.
    void stop();

    // Its log so far, for failure messages.
    std::string log() const;

    // One command over a fresh blocking connection (for checks from the test's side), e.g.
    // {"ZCARD", "parley:nodes"}: the reply's raw RESP text, or throws.
    std::string rawCommand(const std::vector<std::string>& argv) const;

private:
    void spawn();

    std::string executable_;
    std::vector<std::string> extraArgs_;
    std::string dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace parley::itest
