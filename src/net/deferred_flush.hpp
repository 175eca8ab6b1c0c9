#pragma once
// Writes to many sockets, batched: while one connection's bytes are being handled, frames for
// other connections are only queued; each connection written to is flushed once when handling
// ends, so several frames for one peer leave in one system call instead of one each.
#include <cstddef>
#include <memory>
#include <vector>

namespace parley::net {

class DeferredFlush {
public:
    class Flushable {
    public:
        virtual ~Flushable() = default;
        virtual void flush() = 0;
    };

    // Holds flushes back for its lifetime; the outermost scope runs them as it ends.
    class Scope {
    public:
        explicit Scope(DeferredFlush& owner) : owner_(owner) { ++owner_.depth_; }
        ~Scope() {
            if (--owner_.depth_ == 0) owner_.runAll();
        }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        DeferredFlush& owner_;
    };

    bool holding() const { return depth_ > 0; }
    // Call only while holding(); the caller remembers that it asked (one entry per connection).
    void add(std::shared_ptr<Flushable> flushable) { pending_.push_back(std::move(flushable)); }

private:
    void runAll() {
        // A flush may queue more (a broken connection's peers hear of it later, not here, but
        // be safe): index, since the vector may grow while it runs.
        ++depth_;
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            auto next = std::move(pending_[i]);
            next->flush();
        }
        pending_.clear();
        --depth_;
    }

    int depth_ = 0;
    std::vector<std::shared_ptr<Flushable>> pending_;
};

}  // namespace parley::net
