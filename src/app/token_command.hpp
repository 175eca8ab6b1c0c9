#pragma once
// `parley token ...`: mints a room invitation token with the server's token secret.
namespace parley::app {

int runTokenCommand(int argc, char** argv);  // argv[0] is "parley", argv[1] is "token"

}  // namespace parley::app
