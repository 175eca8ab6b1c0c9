// Boost.Asio (with its SSL part) and Boost.Beast compiled once, here, instead of in every file
// that uses them: BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are set
// project-wide, so anything using Asio or Beast links parley_asio (parley_net does).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
