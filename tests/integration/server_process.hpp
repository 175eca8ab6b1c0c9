#pragma once
// The real `parley` binary as a child process on 127.0.0.1 with a free port, stopped by PID.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::itest {

class ServerProcess {
public:
    // Starts parley (PARLEY_TEST_SERVER, else PARLEY_BIN) with --listen 127.0.0.1:0 --port-file ... --log-level warn plus
    // `extraArgs`, and waits (bounded) until it reports its port. Throws if it does not.
    // With `outputPath`, its stdout and stderr go to that file instead of the test's. With
    // `launcher` (a program and its arguments, such as prlimit's), that program runs parley.
    explicit ServerProcess(std::vector<std::string> extraArgs = {}, const std::string& outputPath = {},
                           std::vector<std::string> launcher = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

    void sendSignal(int signal) const;
    // Waits (bounded) for the process to end; the raw waitpid status, or nullopt on timeout.
    std::optional<int> waitForExit(std::chrono::milliseconds limit);
    // SIGTERM, then SIGKILL if it does not end in time. Idempotent.
    void stop();

private:
    std::optional<std::uint16_t> readPortFile() const;
    bool exited(int* status);

    std::string dir_;
    std::string portFile_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::optional<int> exitStatus_;
};

}  // namespace parley::itest
