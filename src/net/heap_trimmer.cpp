#include "net/heap_trimmer.hpp"

#include <malloc.h>

#include <spdlog/spdlog.h>

namespace parley::net {

void HeapTrimmer::start() {
    running_ = true;
    arm();
}

void HeapTrimmer::stop() {
    running_ = false;
    timer_.cancel();
}

void HeapTrimmer::arm() {
    timer_.expires_after(kInterval);
    // Owned by the Server, which outlives the io_context's run; stop() cancels.
    timer_.async_wait([this](boost::system::error_code error) {
        if (error || !running_) return;
        const struct mallinfo2 heap = mallinfo2();
        if (heap.fordblks > kFreeBytesWorthTrimming) {
            const bool released = malloc_trim(0) != 0;
            spdlog::debug("heap: {} MiB free in the heap, {}", heap.fordblks >> 20,
                          released ? "returned to the system" : "none of it could be returned");
        }
        arm();
    });
}

}  // namespace parley::net
