#include "fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace parley::bench {

std::uint64_t raiseFileLimit(std::uint64_t wanted, std::string& note) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        note = std::string("getrlimit: ") + std::strerror(errno);
        return 0;
    }
    if (limit.rlim_cur >= wanted) return limit.rlim_cur;

    rlimit raised = limit;
    raised.rlim_cur = wanted;
    raised.rlim_max = std::max<rlim_t>(limit.rlim_max, wanted);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return wanted;

    // Unprivileged: the hard limit is as far as we may go.
    raised.rlim_cur = limit.rlim_max;
    raised.rlim_max = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
        note = "file limit capped at the hard limit " + std::to_string(limit.rlim_max);
        return limit.rlim_max;
    }
    note = std::string("setrlimit: ") + std::strerror(errno);
    return limit.rlim_cur;
}

}  // namespace parley::bench
