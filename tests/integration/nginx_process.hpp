#pragma once
// A real nginx from Debian as a child process on a free 127.0.0.1 port, with a configuration
// the test writes into a temp dir (nothing from /etc/nginx), in the foreground as one process
// (`daemon off; master_process off;`), stopped by PID.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::itest {

class NginxProcess {
public:
    // Where nginx is installed, or nullopt (script/bootstrap installs it).
    static std::optional<std::string> executable();

    // `serverBlock` is the body of one `server { }` block, its `listen` line left out (added
    // here, on the port picked). `upstream` is Parley's port; each "PARLEY" in the block is
    // replaced by 127.0.0.1:<upstream>. Waits (bounded) until nginx accepts connections.
    NginxProcess(const std::string& executable, const std::string& serverBlock, std::uint16_t upstream);
    ~NginxProcess();
    NginxProcess(const NginxProcess&) = delete;
    NginxProcess& operator=(const NginxProcess&) = delete;

    std::uint16_t port() const { return port_; }
    // Its error log so far, for failure messages.
    std::string log() const;

private:
    void stop();

    std::string dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

// The block of docs/operations.md's first nginx example with a multi-line `location / {`, up
// to its closing brace, with the upstream address written there (127.0.0.1:8080) left as "PARLEY".
// Throws when the document has no such block.
std::string documentedLocation(const std::string& operationsMd);

}  // namespace parley::itest
