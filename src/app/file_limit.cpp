#include "app/file_limit.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace parley::app {

FileLimit raiseOpenFileLimit() {
    FileLimit result;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        result.error = std::string("getrlimit: ") + std::strerror(errno);
        return result;
    }
    result.before = result.now = limit.rlim_cur;
    // An unlimited hard limit still stops at the kernel's per-process ceiling (fs.nr_open,
    // 1,048,576 by default); asking for more than that fails.
    const rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? rlim_t(1) << 20 : limit.rlim_max;
    if (limit.rlim_cur >= wanted) return result;
    rlimit raised = limit;
    raised.rlim_cur = wanted;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
        result.error = std::string("setrlimit: ") + std::strerror(errno);
        return result;
    }
    result.now = raised.rlim_cur;
    return result;
}

}  // namespace parley::app
