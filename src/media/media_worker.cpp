#include "media/media_worker.hpp"

#include <pthread.h>

#include <future>

namespace parley::media {

void MediaWorker::start() {
    if (thread_.joinable()) return;
    guard_.emplace(io_.get_executor());
    std::promise<std::thread::id> started;
    auto id = started.get_future();
    thread_ = std::thread([this, &started] {
        // Named so top -H, perf and gdb show which thread is which; Linux allows 15 characters.
        pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
        started.set_value(std::this_thread::get_id());
        io_.run();
    });
    threadId_ = id.get();
}

void MediaWorker::stop() {
    if (!thread_.joinable()) return;
    guard_.reset();
    // Posts run in order, so everything queued before this runs first.
    boost::asio::post(io_, [this] { io_.stop(); });
    thread_.join();
    io_.restart();
}

}  // namespace parley::media
