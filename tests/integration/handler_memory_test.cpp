// The pending readiness wait of every plain WebSocket session lives in the session itself
// (net/handler_memory.hpp). If a Boost upgrade made that wait larger, it would quietly go back to
// the heap and every idle connection would grow again: this notices.
#include <memory>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "net/handler_memory.hpp"
#include "net/socket_types.hpp"

namespace {

namespace asio = boost::asio;
using parley::net::HandlerAllocator;
using parley::net::HandlerMemory;
using parley::net::kSocketWaitBytes;
using parley::net::Socket;  // the type every session's socket has

class SocketWaitMemory : public ::testing::Test {};

TEST_F(SocketWaitMemory, AReadinessWaitFitsAndTheMemoryIsFreeAgainWhenItCompletes) {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address_v4("127.0.0.1"), 0});
    Socket client(io.get_executor());
    client.connect(acceptor.local_endpoint());
    Socket server(io.get_executor());
    acceptor.accept(server);

    HandlerMemory<kSocketWaitBytes> memory;
    auto woke = std::make_shared<bool>(false);  // a session's handler holds one shared_ptr
    server.async_wait(Socket::wait_read,
                      asio::bind_allocator(HandlerAllocator<void, kSocketWaitBytes>(memory),
                                           [woke](boost::system::error_code error) { *woke = !error; }));
    EXPECT_TRUE(memory.inUse()) << "the wait no longer fits in " << kSocketWaitBytes << " bytes";

    const char byte = 'x';
    asio::write(client, asio::buffer(&byte, 1));
    io.run_one();
    EXPECT_TRUE(*woke);
    EXPECT_FALSE(memory.inUse());
}

TEST_F(SocketWaitMemory, ASecondOperationAtOnceGoesToTheHeap) {
    HandlerMemory<16> memory;
    void* first = memory.allocate(16);
    void* second = memory.allocate(16);
    void* large = nullptr;
    EXPECT_NE(first, second);
    memory.deallocate(first);
    large = memory.allocate(17);  // too large even though the room is free
    EXPECT_FALSE(memory.inUse());
    memory.deallocate(second);
    memory.deallocate(large);
}

}  // namespace
