#include "sync/net/HttpServer.h"

#include "model/Error.h"
#include "model/Json.h"

#include "sync/net/NetSupport.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <atomic>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <thread>

namespace ow::sync {

using model::DomainError;

namespace {

// After refusing a body unread, up to this much of it is read and thrown away (for at
// most two seconds) before the connection is closed: closing a socket with unread data
// resets it, and the client would lose our 413 or 401 along with the connection.
constexpr std::streamsize kDrainBytes = 8 << 20;

std::string jsonString(const std::string& s)
{
    return model::Json(s).canonical();
}

HttpResponse couchError(int status, const std::string& error, const std::string& reason)
{
    HttpResponse r;
    r.status = status;
    r.body = "{\"error\":" + jsonString(error) + ",\"reason\":" + jsonString(reason) + "}";
    return r;
}

// "a=1&b=%22x%22" -> {{"a","1"},{"b","\"x\""}}; "+" is a space, as forms send it.
std::vector<std::pair<std::string, std::string>> decodeQuery(const std::string& query)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    while (i <= query.size() && !query.empty()) {
        auto end = query.find('&', i);
        if (end == std::string::npos)
            end = query.size();
        const std::string part = query.substr(i, end - i);
        if (!part.empty()) {
            const auto eq = part.find('=');
            std::string name;
            std::string value;
            Poco::URI::decode(part.substr(0, eq), name, true);
            if (eq != std::string::npos)
                Poco::URI::decode(part.substr(eq + 1), value, true);
            out.emplace_back(std::move(name), std::move(value));
        }
        i = end + 1;
    }
    return out;
}

} // namespace

struct HttpServer::Impl {
    CouchApi& api;
    Options options;
    LocalRoutes local;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    std::atomic<std::int64_t> requests{0};
    std::atomic<std::int64_t> unauthorized{0};
    std::atomic<std::int64_t> tooLarge{0};

    enum class Verdict { Serve, Unauthorized, TooLarge };

    Impl(CouchApi& a, Options o, LocalRoutes l)
        : api(a)
        , options(std::move(o))
        , local(std::move(l))
    {
    }

    // Whether the caller is one of the accounts. Every account is compared, each in
    // constant time, so the time taken tells nothing about which part was wrong.
    bool authorised(const Poco::Net::HTTPServerRequest& request, std::string& user) const
    {
        if (options.accounts.empty())
            return true;
        std::string password;
        try {
            if (!request.hasCredentials())
                return false;
            Poco::Net::HTTPBasicCredentials credentials(request);
            user = credentials.getUsername();
            password = credentials.getPassword();
        } catch (const Poco::Exception&) {
            return false; // another scheme, or malformed base64
        }
        bool match = false;
        for (const auto& account : options.accounts) {
            const bool name = secretsEqual(user, account.name);
            const bool secret = secretsEqual(password, account.password);
            match = match || (name && secret);
        }
        return match;
    }

    // Decided before Poco answers "Expect: 100-continue": a refused client is never
    // invited to send its body.
    Verdict judge(const Poco::Net::HTTPServerRequest& request, std::string& user) const
    {
        if (!authorised(request, user))
            return Verdict::Unauthorized;
        if (request.hasContentLength() && request.getContentLength64() >= 0
            && static_cast<std::uint64_t>(request.getContentLength64()) > options.maxBodyBytes)
            return Verdict::TooLarge;
        return Verdict::Serve;
    }

    HttpResponse tooLargeResponse(const std::string& size) const
    {
        return couchError(413, "too_large",
            "The request body is " + size + " bytes; the limit is " + std::to_string(options.maxBodyBytes));
    }

    static bool hasBody(const Poco::Net::HTTPServerRequest& request)
    {
        return request.getChunkedTransferEncoding()
            || (request.hasContentLength() && request.getContentLength64() > 0);
    }

    void serve(Verdict verdict, const std::string& user, Poco::Net::HTTPServerRequest& request,
        Poco::Net::HTTPServerResponse& response)
    {
        const auto started = std::chrono::steady_clock::now();
        ++requests;
        HttpRequest req;
        req.method = request.getMethod();
        HttpResponse out;
        bool bodyUnread = hasBody(request);
        try {
            if (verdict == Verdict::Unauthorized) {
                ++unauthorized;
                out = couchError(401, "unauthorized", "Name or password is incorrect.");
                out.headers.emplace_back("WWW-Authenticate", "Basic realm=\"onewindow\"");
                netLogger()->warn("refused {} {} from {}: {}", req.method, pathOf(request.getURI()),
                    request.clientAddress().toString(),
                    user.empty() ? "no credentials" : "wrong credentials for '" + user + "'");
            } else if (verdict == Verdict::TooLarge) {
                ++tooLarge;
                out = tooLargeResponse(std::to_string(request.getContentLength64()));
            } else if (!parseTarget(request.getURI(), req)) {
                out = couchError(400, "bad_request", "The request target is not a valid path and query.");
            } else {
                req.contentType = request.get("Content-Type", "");
                req.accept = request.get("Accept", "");
                if (bodyUnread && !readBody(request, req.body)) {
                    ++tooLarge;
                    out = tooLargeResponse("more than " + std::to_string(options.maxBodyBytes));
                } else {
                    bodyUnread = false;
                    std::optional<HttpResponse> mine;
                    if (local)
                        mine = local(req);
                    out = mine ? std::move(*mine) : api.handle(req);
                }
            }
        } catch (const ShortBody&) {
            out = couchError(400, "bad_request", "The request body ended before its Content-Length.");
        } catch (const Poco::Exception& e) {
            out = couchError(500, "internal_error", e.displayText());
        } catch (const std::exception& e) {
            out = couchError(500, "internal_error", e.what());
        }
        // A body left unread would be taken for the next request: this connection ends here.
        if (bodyUnread)
            response.setKeepAlive(false);
        write(out, response);
        if (bodyUnread)
            drain(request);
        netLogger()->debug("{} {} {} {} ms{}", req.method,
            req.path.empty() ? pathOf(request.getURI()) : req.path, out.status,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count(),
            user.empty() ? std::string() : " (" + user + ")");
    }

    static std::string pathOf(const std::string& target) { return target.substr(0, target.find('?')); }

    static bool parseTarget(const std::string& target, HttpRequest& req)
    {
        if (target.empty() || target[0] != '/')
            return false;
        const auto q = target.find('?');
        try {
            Poco::URI::decode(target.substr(0, q), req.path);
            if (q != std::string::npos)
                req.query = decodeQuery(target.substr(q + 1));
        } catch (const Poco::SyntaxException&) {
            return false;
        }
        return req.path.find('\0') == std::string::npos;
    }

    struct ShortBody { };

    // The body, or false when it is larger than allowed (a chunked body, whose size shows
    // only while reading; at most maxBodyBytes + 1 are read).
    bool readBody(Poco::Net::HTTPServerRequest& request, std::string& body) const
    {
        std::istream& in = request.stream();
        if (request.hasContentLength()) {
            const auto length = static_cast<std::size_t>(request.getContentLength64());
            body.resize(length);
            in.read(body.data(), static_cast<std::streamsize>(length));
            if (static_cast<std::size_t>(in.gcount()) != length)
                throw ShortBody{};
            return true;
        }
        char buffer[64 * 1024];
        while (in) {
            in.read(buffer, sizeof buffer);
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (body.size() > options.maxBodyBytes) {
                body.clear();
                return false;
            }
        }
        return true;
    }

    static void write(const HttpResponse& out, Poco::Net::HTTPServerResponse& response)
    {
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
        response.setContentType(out.contentType);
        for (const auto& [name, value] : out.headers)
            response.set(name, value);
        response.setContentLength64(static_cast<Poco::Int64>(out.body.size()));
        response.sendBuffer(out.body.data(), out.body.size());
    }

    // Reads and discards what the client is still sending of a refused body, so that our
    // answer reaches it; bounded in bytes and time.
    static void drain(Poco::Net::HTTPServerRequest& request)
    {
        // A client that waits for "100 Continue" never got it and sends nothing.
        if (request.getExpectContinue())
            return;
        if (request.hasContentLength() && request.getContentLength64() > kDrainBytes)
            return;
        try {
            auto& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
            socket.setReceiveTimeout(Poco::Timespan(2, 0));
            request.stream().ignore(kDrainBytes);
        } catch (const std::exception&) {
            // The client went away: nothing left to protect.
        }
    }
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    Handler(HttpServer::Impl& server, HttpServer::Impl::Verdict verdict, std::string user)
        : m_server(server)
        , m_verdict(verdict)
        , m_user(std::move(user))
    {
    }
    void handleRequest(
        Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        m_server.serve(m_verdict, m_user, request, response);
    }

private:
    HttpServer::Impl& m_server;
    HttpServer::Impl::Verdict m_verdict;
    std::string m_user;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(HttpServer::Impl& server)
        : m_server(server)
    {
    }
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override
    {
        std::string user;
        const auto verdict = m_server.judge(request, user);
        // Poco sends "100 Continue" only while the response still says 200.
        if (verdict == HttpServer::Impl::Verdict::Unauthorized)
            request.response().setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
        else if (verdict == HttpServer::Impl::Verdict::TooLarge)
            request.response().setStatus(Poco::Net::HTTPResponse::HTTP_REQUESTENTITYTOOLARGE);
        return new Handler(m_server, verdict, std::move(user));
    }

private:
    HttpServer::Impl& m_server;
};

} // namespace

HttpServer::HttpServer(CouchApi& api, Options options, LocalRoutes local)
    : m_impl(std::make_unique<Impl>(api, std::move(options), std::move(local)))
{
}

HttpServer::~HttpServer()
{
    stop();
}

namespace {

Poco::Net::SocketAddress listenAddress(const std::string& listen)
{
    try {
        return Poco::Net::SocketAddress(listen);
    } catch (const Poco::Exception& e) {
        throw DomainError("sync.listen_failed", {{"listen", listen}, {"reason", e.displayText()}});
    }
}

} // namespace

void HttpServer::checkOptions(const Options& options)
{
    const bool loopback = listenAddress(options.listen).host().isLoopback();
    if (options.certificateFile.empty() && !loopback && !options.allowPlainHttp)
        throw DomainError("sync.plain_http_refused", {{"listen", options.listen}});
    if (options.accounts.empty() && !loopback)
        throw DomainError("sync.open_access_refused", {{"listen", options.listen}});
    for (const auto& a : options.accounts)
        if (a.name.empty() || a.password.empty())
            throw DomainError("sync.open_access_refused",
                {{"listen", options.listen}, {"reason", "an account without a name or password"}});
}

void HttpServer::start()
{
    Impl& s = *m_impl;
    if (s.server)
        return;
    checkOptions(s.options);
    const std::string& listen = s.options.listen;
    const Poco::Net::SocketAddress address = listenAddress(listen);
    s.tls = !s.options.certificateFile.empty();

    Poco::Net::Context::Ptr context;
    if (s.tls) {
        ensureSslInitialised();
        try {
            // The key may sit in the certificate's file.
            const std::string key
                = s.options.privateKeyFile.empty() ? s.options.certificateFile : s.options.privateKeyFile;
            // Peers prove who they are with basic auth, not client certificates.
            context
                = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key, s.options.certificateFile,
                    "", Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4");
            context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            context->enableSessionCache(true, "onewindowd");
        } catch (const Poco::Exception& e) {
            throw DomainError("sync.tls_config", {{"reason", e.displayText()}});
        }
        // A key of another certificate loads without complaint and fails every handshake.
        if (SSL_CTX_check_private_key(context->sslContext()) != 1)
            throw DomainError("sync.tls_config",
                {{"reason",
                    "the private key " + s.options.privateKeyFile + " does not match the certificate "
                        + s.options.certificateFile}});
    }
    try {
        std::unique_ptr<Poco::Net::ServerSocket> socket;
        if (s.tls)
            socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
        else
            socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(s.options.threads);
        params->setMaxQueued(s.options.queued);
        params->setTimeout(Poco::Timespan(s.options.ioTimeout.count(), 0));
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(Poco::Timespan(s.options.keepAlive.count(), 0));
        params->setMaxKeepAliveRequests(0); // unlimited: a replicator reuses its connection
        params->setSoftwareVersion("OneWindow (CouchDB replication protocol)");
        s.pool = std::make_unique<Poco::ThreadPool>(2, std::max(2, s.options.threads), 60);
        s.server = std::make_unique<Poco::Net::HTTPServer>(new Factory(s), *s.pool, *socket, params);
        s.server->start();
        s.port = socket->address().port();
        s.host = address.host().toString();
    } catch (const Poco::Exception& e) {
        s.server.reset();
        s.pool.reset();
        throw DomainError("sync.listen_failed", {{"listen", listen}, {"reason", e.displayText()}});
    }
    netLogger()->info("serving {} ({}{})", url(), s.tls ? "TLS" : "plain HTTP",
        s.options.accounts.empty() ? ", open to anyone on loopback"
                                   : ", " + std::to_string(s.options.accounts.size()) + " account(s)");
}

void HttpServer::stop(std::chrono::milliseconds grace)
{
    Impl& s = *m_impl;
    if (!s.server)
        return;
    // Idle keep-alive connections are shut at once; a request being served finishes (a
    // batch commits or not; its client sends it again either way), and a longpoll ends at
    // its timeout.
    s.server->stopAll(true);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    auto nextNote = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (s.server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
        if (std::chrono::steady_clock::now() >= nextNote) {
            netLogger()->info("waiting for {} request(s) to finish", s.server->currentConnections());
            nextNote += std::chrono::seconds(5);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (s.server->currentConnections() > 0)
        netLogger()->warn("{} request(s) still running after {} ms; waiting for them",
            s.server->currentConnections(), grace.count());
    s.pool->joinAll();
    s.server.reset();
    s.pool.reset();
    netLogger()->info("stopped serving");
}

std::uint16_t HttpServer::port() const
{
    return m_impl->port;
}

bool HttpServer::tls() const
{
    return m_impl->tls;
}

std::string HttpServer::url() const
{
    const std::string& host = m_impl->host;
    const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return std::string(m_impl->tls ? "https://" : "http://") + shown + ":" + std::to_string(m_impl->port);
}

HttpServer::Counters HttpServer::counters() const
{
    Counters c;
    c.requests = m_impl->requests.load();
    c.unauthorized = m_impl->unauthorized.load();
    c.tooLarge = m_impl->tooLarge.load();
    if (m_impl->server)
        c.connections = m_impl->server->currentConnections();
    return c;
}

} // namespace ow::sync
