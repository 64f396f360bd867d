#include "sync/net/NetSupport.h"

#include "model/Log.h"
#include "model/Sha256.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <algorithm>
#include <cctype>
#include <mutex>
#include <spdlog/spdlog.h>

namespace ow::sync {

std::shared_ptr<spdlog::logger> netLogger()
{
    static const std::shared_ptr<spdlog::logger> log = model::namedLogger("net", "info");
    return log;
}

void ensureSslInitialised()
{
    // A function-local static: initialised once even when two threads get here together,
    // and uninitialised after main returns, once nobody uses a context any more.
    struct Ssl {
        Ssl() { Poco::Net::initializeSSL(); }
        ~Ssl() { Poco::Net::uninitializeSSL(); }
    };
    static Ssl ssl;
}

bool isLoopbackHost(const std::string& host)
{
    std::string h = host;
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']')
        h = h.substr(1, h.size() - 2);
    std::string lower = h;
    std::transform(
        lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "localhost")
        return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(h, address) && address.isLoopback();
}

std::string percentEncode(std::string_view text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string redactUrl(const std::string& url)
{
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    const auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at == std::string::npos || at < start)
        return url;
    return url.substr(0, start) + url.substr(at + 1);
}

bool secretsEqual(std::string_view given, std::string_view expected)
{
    const auto a = model::sha256(given);
    const auto b = model::sha256(expected);
    unsigned difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace ow::sync
