#include "cluster/cluster_directory.hpp"

namespace parley::cluster {

const char* toString(DirectoryError::Code code) {
    switch (code) {
        case DirectoryError::Code::Unavailable: return "unavailable";
        case DirectoryError::Code::Timeout: return "timeout";
        case DirectoryError::Code::BadReply: return "bad-reply";
    }
    return "unknown";
}

}  // namespace parley::cluster
