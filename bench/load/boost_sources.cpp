// Boost.Asio and Beast compiled once for the bench tools, used only when the server's
// parley_net library (which holds the same translation unit) is not part of the build.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
