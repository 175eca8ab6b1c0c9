#pragma once
// One media thread with its own event loop. A room's media is pinned to one worker, so every
// packet of a room is handled on one thread without locks; the signaling thread and the workers
// only pass messages (post), never share state.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace parley::media {

class MediaWorker {
public:
    explicit MediaWorker(std::string name) : name_(std::move(name)) {}
    ~MediaWorker() { stop(); }
    MediaWorker(const MediaWorker&) = delete;
    MediaWorker& operator=(const MediaWorker&) = delete;

    boost::asio::io_context& context() { return io_; }
    const std::string& name() const { return name_; }

    void start();
    // Runs the work posted so far, then stops the loop (receives still pending are abandoned:
    // close sockets first, on the worker, to end them cleanly) and joins. Safe to call twice.
    void stop();

    // Runs `task` on the worker's thread.
    template <class Task>
    void post(Task&& task) {
        boost::asio::post(io_, std::forward<Task>(task));
    }

    bool onWorkerThread() const { return std::this_thread::get_id() == threadId_; }

private:
    std::string name_;
    boost::asio::io_context io_{1};  // one thread: Asio may skip its internal locking
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
    std::thread thread_;
    std::thread::id threadId_;
};

}  // namespace parley::media
