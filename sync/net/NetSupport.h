// What the HTTP server and the HTTP endpoint share: the "net" logger, OpenSSL set up once
// for the process, the loopback rule for plain HTTP, and percent-encoding of path pieces.
// This header includes no Poco, so the daemon's configuration code can use it too.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ow::sync {

// The sync/net logger ("net"); its level follows SPDLOG_LEVEL. Never log a password, an
// Authorization header or a request body (bodies carry identity numbers).
std::shared_ptr<spdlog::logger> netLogger();

// Poco::Net::initializeSSL() once per process, undone at exit.
void ensureSslInitialised();

// True for 127.0.0.0/8, ::1 and "localhost": the only places plain HTTP and open access
// are allowed without saying so in the configuration. Names are not resolved.
bool isLoopbackHost(const std::string& host);

// Every byte outside RFC 3986's unreserved set as %XX, so that a document id holding "/"
// stays one path segment.
std::string percentEncode(std::string_view text);

// "https://user:secret@host:6984/x" -> "https://host:6984/x": URLs in logs, errors and
// health never carry credentials.
std::string redactUrl(const std::string& url);

// Constant-time equality of two secrets: both are hashed first (SHA-256), so neither the
// position of the first difference nor the length of the expected secret shows in the
// time taken.
bool secretsEqual(std::string_view given, std::string_view expected);

} // namespace ow::sync
