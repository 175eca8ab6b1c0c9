#pragma once
// The IPv4 addresses of this machine's interfaces that are up, in the system's order
// (getifaddrs; where netlink is forbidden, SIOCGIFCONF: primary addresses only); empty when
// they cannot be read.
#include <string>
#include <vector>

namespace parley::app {

std::vector<std::string> interfaceAddresses();

}  // namespace parley::app
