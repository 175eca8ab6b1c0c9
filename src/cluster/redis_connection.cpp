#include "cluster/redis_connection.hpp"

#include <array>
#include <deque>
#include <map>
#include <random>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "cluster/resp_codec.hpp"

namespace parley::cluster {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class RedisConnection::Impl : public std::enable_shared_from_this<RedisConnection::Impl> {
public:
    Impl(asio::io_context& io, RedisConnectionOptions options, std::function<double()> random01)
        : io_(io),
          options_(std::move(options)),
          random01_(std::move(random01)),
          resolver_(io),
          socket_(io),
          attemptTimer_(io),
          commandTimer_(io) {
        if (!random01_) {
            random01_ = [engine = std::mt19937_64(std::random_device{}())]() mutable {
                return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
            };
        }
    }

    void start() {
        if (started_) return;
        started_ = true;
        connect();
    }

    void stop() {
        stopped_ = true;
        pending_.clear();  // dropped uncalled, as documented
        closeSocket();
        attemptTimer_.cancel();
        commandTimer_.cancel();
        resolver_.cancel();
        listeners_.clear();
    }

    void command(std::vector<std::string> argv, ReplyCallback done) {
        if (state_ != State::Up) {
            asio::post(io_, [self = shared_from_this(), done = std::move(done)] {
                if (!self->stopped_) done(DirectoryError{DirectoryError::Code::Unavailable, "not connected to Redis"});
            });
            return;
        }
        send(argv, std::move(done));
    }

    bool up() const { return state_ == State::Up; }
    std::uint64_t addStateListener(std::function<void(bool)> listener) {
        listeners_.emplace(++lastListenerId_, std::move(listener));
        return lastListenerId_;
    }
    void removeStateListener(std::uint64_t id) { listeners_.erase(id); }
    const RedisEndpoint& endpoint() const { return options_.endpoint; }

private:
    enum class State { Idle, Connecting, Handshaking, Up, Waiting };

    struct Pending {
        ReplyCallback done;
        Clock::time_point deadline;
    };

    void connect() {
        if (stopped_) return;
        state_ = State::Connecting;
        const auto generation = ++generation_;
        decoder_ = std::make_unique<RespDecoder>();
        outbox_.clear();
        writing_ = false;
        // One deadline for lookup, connect and handshake together.
        attemptTimer_.expires_after(options_.connectTimeout);
        attemptTimer_.async_wait([self = shared_from_this(), generation](boost::system::error_code error) {
            if (error || self->stale(generation)) return;
            if (self->state_ == State::Connecting || self->state_ == State::Handshaking) {
                self->fail(generation, "no connection within " + std::to_string(self->options_.connectTimeout.count()) +
                                           " ms", DirectoryError::Code::Timeout);
            }
        });
        resolver_.async_resolve(
            options_.endpoint.host, std::to_string(options_.endpoint.port),
            [self = shared_from_this(), generation](boost::system::error_code error, tcp::resolver::results_type results) {
                if (self->stale(generation)) return;
                if (error) return self->fail(generation, "cannot resolve " + self->options_.endpoint.host + ": " + error.message());
                asio::async_connect(self->socket_, results,
                                    [self, generation](boost::system::error_code error, const tcp::endpoint&) {
                                        if (self->stale(generation)) return;
                                        if (error) return self->fail(generation, "cannot connect: " + error.message());
                                        self->connected(generation);
                                    });
            });
    }

    void connected(std::uint64_t generation) {
        boost::system::error_code ignored;
        socket_.set_option(tcp::no_delay(true), ignored);
        socket_.set_option(asio::socket_base::keep_alive(true), ignored);
        state_ = State::Handshaking;
        read(generation);
        // AUTH and SELECT if the URL asks, then PING: up only once Redis itself has answered.
        const auto& endpoint = options_.endpoint;
        const auto check = [self = shared_from_this(), generation](const char* what) {
            return [self, generation, what](Reply reply) {
                if (self->stale(generation) || !reply.ok()) return;  // a lost connection handles itself
                if (reply.value().isError()) {
                    self->fail(generation, std::string(what) + " refused: " + reply.value().text);
                }
            };
        };
        if (endpoint.password) {
            std::vector<std::string> auth{"AUTH"};
            if (!endpoint.username.empty()) auth.push_back(endpoint.username);
            auth.push_back(*endpoint.password);
            send(auth, check("AUTH"));
        }
        if (endpoint.database != 0) send({"SELECT", std::to_string(endpoint.database)}, check("SELECT"));
        send({"PING"}, [self = shared_from_this(), generation](Reply reply) {
            if (self->stale(generation) || !reply.ok()) return;
            if (!reply.value().is("PONG")) {
                return self->fail(generation, "PING answered " + describe(reply.value()));
            }
            self->becomeUp();
        });
    }

    void becomeUp() {
        attemptTimer_.cancel();
        state_ = State::Up;
        if (failures_ > 0) {
            spdlog::info("redis: connected to {} again after {} failed attempt(s)", options_.endpoint.address(), failures_);
        } else {
            spdlog::info("redis: connected to {}", options_.endpoint.address());
        }
        failures_ = 0;
        notify(true);
    }

    void send(const std::vector<std::string>& argv, ReplyCallback done) {
        outbox_ += encodeCommand(argv);
        pending_.push_back(Pending{std::move(done), Clock::now() + options_.commandTimeout});
        if (pending_.size() == 1) armCommandTimer();
        flush();
    }

    void flush() {
        if (writing_ || outbox_.empty()) return;
        writing_ = true;
        writeBuffer_.swap(outbox_);
        outbox_.clear();
        const auto generation = generation_;
        asio::async_write(socket_, asio::buffer(writeBuffer_),
                          [self = shared_from_this(), generation](boost::system::error_code error, std::size_t) {
                              if (self->stale(generation)) return;
                              self->writing_ = false;
                              self->writeBuffer_.clear();
                              if (error) return self->fail(generation, "write: " + error.message());
                              self->flush();
                          });
    }

    void read(std::uint64_t generation) {
        socket_.async_read_some(asio::buffer(readBuffer_), [self = shared_from_this(), generation](
                                                               boost::system::error_code error, std::size_t size) {
            if (self->stale(generation)) return;
            if (error) {
                return self->fail(generation, error == asio::error::eof ? "Redis closed the connection"
                                                                        : "read: " + error.message());
            }
            self->decoder_->feed(std::string_view(self->readBuffer_.data(), size));
            while (!self->stale(generation)) {
                auto next = self->decoder_->next();
                if (std::holds_alternative<std::monostate>(next)) break;
                if (auto* problem = std::get_if<RespProtocolError>(&next)) {
                    return self->fail(generation, "protocol error: " + problem->message);
                }
                if (self->pending_.empty()) return self->fail(generation, "a reply nobody asked for");
                auto done = std::move(self->pending_.front().done);
                self->pending_.pop_front();
                self->armCommandTimer();
                done(std::move(std::get<RespValue>(next)));
            }
            if (!self->stale(generation)) self->read(generation);
        });
    }

    // The oldest command waiting has the earliest deadline (all have the same timeout).
    void armCommandTimer() {
        commandTimer_.cancel();
        if (pending_.empty()) return;
        const auto generation = generation_;
        commandTimer_.expires_at(pending_.front().deadline);
        commandTimer_.async_wait([self = shared_from_this(), generation](boost::system::error_code error) {
            if (error || self->stale(generation) || self->pending_.empty()) return;
            if (self->pending_.front().deadline > Clock::now()) return self->armCommandTimer();
            // A reply that never came leaves the stream unaligned: start over.
            self->fail(generation, "no reply within " + std::to_string(self->options_.commandTimeout.count()) + " ms",
                       DirectoryError::Code::Timeout);
        });
    }

    // A listener may add or remove listeners (or stop everything): call a snapshot, skipping
    // any removed meanwhile.
    void notify(bool up) {
        std::vector<std::uint64_t> ids;
        for (const auto& [id, listener] : listeners_) ids.push_back(id);
        for (const auto id : ids) {
            if (stopped_) return;
            auto it = listeners_.find(id);
            if (it == listeners_.end()) continue;
            auto listener = it->second;  // a copy: it may remove itself while running
            listener(up);
        }
    }

    bool stale(std::uint64_t generation) const { return stopped_ || generation != generation_; }

    // The connection (or the attempt) is lost: fail what waits, tell the listener, retry later.
    void fail(std::uint64_t generation, const std::string& why,
              DirectoryError::Code code = DirectoryError::Code::Unavailable) {
        if (stale(generation)) return;
        ++generation_;  // every handler of this connection is stale from now on
        const bool wasUp = state_ == State::Up;
        state_ = State::Waiting;
        closeSocket();
        resolver_.cancel();
        attemptTimer_.cancel();
        commandTimer_.cancel();
        ++failures_;
        const auto delay = reconnectDelay(options_.backoff, failures_, random01_());
        // The first failure is worth a warning; the retries after it only at debug level.
        if (wasUp || failures_ == 1) {
            spdlog::warn("redis: {} {}: {}; retrying in {} ms", wasUp ? "lost" : "cannot reach",
                         options_.endpoint.address(), why, delay.count());
        } else {
            spdlog::debug("redis: {} still unreachable ({}): retry {} in {} ms", options_.endpoint.address(), why,
                          failures_, delay.count());
        }
        auto waiting = std::move(pending_);
        pending_.clear();
        const auto retryGeneration = generation_;
        attemptTimer_.expires_after(delay);
        attemptTimer_.async_wait([self = shared_from_this(), retryGeneration](boost::system::error_code error) {
            if (error || self->stale(retryGeneration)) return;
            self->connect();
        });
        if (wasUp) notify(false);
        for (auto& entry : waiting) {
            if (stopped_) return;
            entry.done(DirectoryError{code, why});
        }
    }

    void closeSocket() {
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    asio::io_context& io_;
    RedisConnectionOptions options_;
    std::function<double()> random01_;
    tcp::resolver resolver_;
    tcp::socket socket_;
    asio::steady_timer attemptTimer_;  // the connect deadline, then the backoff wait
    asio::steady_timer commandTimer_;
    std::unique_ptr<RespDecoder> decoder_;
    std::string outbox_;
    std::string writeBuffer_;
    bool writing_ = false;
    std::array<char, 16 * 1024> readBuffer_{};
    std::deque<Pending> pending_;
    std::map<std::uint64_t, std::function<void(bool)>> listeners_;
    std::uint64_t lastListenerId_ = 0;
    State state_ = State::Idle;
    std::uint64_t generation_ = 0;
    unsigned failures_ = 0;
    bool started_ = false;
    bool stopped_ = false;
};

RedisConnection::RedisConnection(asio::io_context& io, RedisConnectionOptions options,
                                 std::function<double()> random01)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(random01))) {}

RedisConnection::~RedisConnection() { impl_->stop(); }

void RedisConnection::start() { impl_->start(); }
void RedisConnection::stop() { impl_->stop(); }
void RedisConnection::command(std::vector<std::string> argv, ReplyCallback done) {
    impl_->command(std::move(argv), std::move(done));
}
bool RedisConnection::up() const { return impl_->up(); }
std::uint64_t RedisConnection::addStateListener(std::function<void(bool)> listener) {
    return impl_->addStateListener(std::move(listener));
}
void RedisConnection::removeStateListener(std::uint64_t id) { impl_->removeStateListener(id); }
const RedisEndpoint& RedisConnection::endpoint() const { return impl_->endpoint(); }

}  // namespace parley::cluster
