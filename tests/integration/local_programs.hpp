#pragma once
// What the launchers of real servers (redis-server, turnserver, nginx) share: finding the
// program, a TCP port free on 127.0.0.1, and stopping it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::itest {

// `name` on $PATH, else in /usr/bin or /usr/sbin (root's PATH and a user's differ); nullopt
// when it is not installed.
std::optional<std::string> findProgram(std::string_view name);

// A TCP port free on 127.0.0.1 right now (the kernel's pick); throws when there is none.
std::uint16_t freeLoopbackTcpPort();

// Stops a child started by the test: SIGTERM, then SIGKILL if it has not exited within 5 s;
// reaped either way.
void stopChild(int pid);

}  // namespace parley::itest
