#include "sync/net/HttpEndpoint.h"

#include "model/Error.h"
#include "model/Json.h"

#include "sync/couch/EventJson.h"
#include "sync/net/NetSupport.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>
#include <charconv>
#include <spdlog/spdlog.h>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace ow::sync {

using model::DomainError;
using model::Json;

namespace {

// Bodies at least this large go to the socket in one write instead of through Poco's
// request stream, which hands the socket 4 KiB at a time (DESIGN: "Storage").
constexpr std::size_t kDirectWrite = 16 * 1024;
// An answer larger than this is not what a peer sends for our requests.
constexpr std::size_t kMaxReply = 512u << 20;

std::string jsonString(const std::string& s)
{
    return Json(s).canonical();
}

// A cursor or checkpoint: a JSON integer, or a string of digits (CouchDB 2+ sends seqs
// as strings; a _local value is one).
std::optional<std::int64_t> cursorOf(const Json& value)
{
    if (value.isInt())
        return value.asInt() >= 0 ? std::optional(value.asInt()) : std::nullopt;
    if (!value.isString())
        return std::nullopt;
    const std::string& text = value.asString();
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size() || n < 0)
        return std::nullopt;
    return n;
}

} // namespace

struct HttpEndpoint::Tls {
    Poco::Net::Context::Ptr context;
};

struct HttpEndpoint::Session {
    std::unique_ptr<Poco::Net::HTTPClientSession> http;
    bool used = false; // has carried a request: a failure may be a connection the peer closed
};

HttpEndpoint::HttpEndpoint(Options options)
    : m_options(std::move(options))
{
    m_shownUrl = redactUrl(m_options.url);
    Poco::URI uri;
    try {
        uri = Poco::URI(m_options.url);
    } catch (const Poco::Exception& e) {
        throw DomainError("sync.peer_url", {{"url", m_shownUrl}, {"reason", e.displayText()}});
    }
    m_scheme = uri.getScheme();
    m_host = uri.getHost();
    m_port = uri.getPort();
    if (m_scheme != "http" && m_scheme != "https")
        throw DomainError(
            "sync.peer_url", {{"url", m_shownUrl}, {"reason", "the scheme must be http or https"}});
    if (m_host.empty())
        throw DomainError("sync.peer_url", {{"url", m_shownUrl}, {"reason", "no host"}});
    if (!uri.getUserInfo().empty())
        throw DomainError("sync.peer_url",
            {{"url", m_shownUrl},
                {"reason", "credentials belong in the peer's user and password file, not the URL"}});
    if (m_scheme == "http" && !isLoopbackHost(m_host) && !m_options.allowPlainHttp)
        throw DomainError("sync.peer_url",
            {{"url", m_shownUrl},
                {"reason", "plain http to a host that is not loopback needs allow_plain_http"}});
    if (m_scheme == "https" && m_options.caFile.empty())
        throw DomainError(
            "sync.peer_url", {{"url", m_shownUrl}, {"reason", "https needs the centre CA file"}});
    if (m_scheme == "https") {
        ensureSslInitialised();
        try {
            // Only the centre's CA, strictly: the chain must end there and the name match.
            m_tls = std::make_unique<Tls>();
            m_tls->context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "",
                m_options.caFile, Poco::Net::Context::VERIFY_STRICT, 9, false, "HIGH:!aNULL:!MD5:!RC4");
            m_tls->context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        } catch (const Poco::Exception& e) {
            throw DomainError("sync.peer_url",
                {{"url", m_shownUrl},
                    {"reason", "the CA file " + m_options.caFile + ": " + e.displayText()}});
        }
    }
    m_prefix = uri.getPath();
    while (!m_prefix.empty() && m_prefix.back() == '/')
        m_prefix.pop_back();
    if (!m_options.user.empty()) {
        std::ostringstream encoded;
        Poco::Base64Encoder encoder(encoded);
        encoder.rdbuf()->setLineLength(0);
        encoder << m_options.user << ':' << m_options.password;
        encoder.close();
        m_authorization = "Basic " + encoded.str();
    }
}

HttpEndpoint::~HttpEndpoint() = default;

void HttpEndpoint::connect()
{
    std::unique_ptr<Poco::Net::HTTPClientSession> http;
    try {
        if (m_tls) {
            http = std::make_unique<Poco::Net::HTTPSClientSession>(m_host, m_port, m_tls->context);
        } else {
            http = std::make_unique<Poco::Net::HTTPClientSession>(m_host, m_port);
        }
    } catch (const Poco::Exception& e) {
        throw DomainError("sync.peer_url", {{"url", m_shownUrl}, {"reason", e.displayText()}});
    }
    const auto ms = [](std::chrono::milliseconds d) { return Poco::Timespan(d.count() * 1000); };
    http->setTimeout(ms(m_options.connectTimeout), ms(m_options.timeout), ms(m_options.timeout));
    http->setKeepAlive(true);
    auto session = std::make_unique<Session>();
    session->http = std::move(http);
    std::lock_guard lock(m_sessionMutex);
    m_session = std::move(session);
}

void HttpEndpoint::disconnect()
{
    std::unique_ptr<Session> old;
    {
        std::lock_guard lock(m_sessionMutex);
        old = std::move(m_session);
    }
    if (old) {
        try {
            old->http->reset();
        } catch (...) {
            // closing a broken connection may fail too; it is gone either way
        }
    }
}

void HttpEndpoint::abort()
{
    m_aborted = true;
    std::lock_guard lock(m_sessionMutex);
    if (m_session) {
        try {
            m_session->http->abort(); // shuts the socket: a blocked read returns at once
        } catch (...) {
        }
    }
    for (auto& other : m_more)
        other->abort();
}

std::vector<Endpoint*> HttpEndpoint::moreConnections(std::size_t n)
{
    std::lock_guard lock(m_sessionMutex);
    while (m_more.size() < n) {
        m_more.push_back(std::make_unique<HttpEndpoint>(m_options));
        if (m_aborted)
            m_more.back()->abort();
    }
    std::vector<Endpoint*> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(m_more[i].get());
    return out;
}

void HttpEndpoint::closeMoreConnections()
{
    std::lock_guard lock(m_sessionMutex);
    for (auto& other : m_more)
        other->disconnect(); // connects again on its next request
}

HttpEndpoint::Reply HttpEndpoint::exchange(
    const std::string& method, const std::string& target, const std::string* body)
{
    for (int attempt = 0;; ++attempt) {
        if (m_aborted)
            throw DomainError("sync.unreachable", {{"peer", m_shownUrl}, {"reason", "stopping"}});
        if (!m_session)
            connect();
        Session& session = *m_session;
        const bool reused = session.used;
        session.used = true;
        try {
            Poco::Net::HTTPRequest request(method, m_prefix + target, Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            request.set("Accept", "application/json");
            if (!m_authorization.empty())
                request.set("Authorization", m_authorization);
            if (body) {
                request.setContentType("application/json");
                request.setContentLength64(static_cast<Poco::Int64>(body->size()));
            }
            std::ostream& out = session.http->sendRequest(request);
            if (body && body->size() >= kDirectWrite) {
                out.flush(); // the header, still in the stream's buffer
                auto& socket = session.http->socket();
                std::size_t sent = 0;
                while (sent < body->size()) {
                    const int n = socket.sendBytes(body->data() + sent,
                        static_cast<int>(std::min<std::size_t>(body->size() - sent, 1u << 30)));
                    if (n <= 0)
                        throw Poco::Net::ConnectionResetException("the peer stopped reading the request");
                    sent += static_cast<std::size_t>(n);
                }
            } else if (body) {
                out.write(body->data(), static_cast<std::streamsize>(body->size()));
            }
            Poco::Net::HTTPResponse response;
            std::istream& in = session.http->receiveResponse(response);
            Reply reply;
            reply.status = static_cast<int>(response.getStatus());
            if (response.hasContentLength() && response.getContentLength64() > 0) {
                if (static_cast<std::uint64_t>(response.getContentLength64()) > kMaxReply)
                    unreadable(method + " " + target,
                        "an answer of " + std::to_string(response.getContentLength64()) + " bytes");
                reply.body.resize(static_cast<std::size_t>(response.getContentLength64()));
                in.read(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
                if (static_cast<std::size_t>(in.gcount()) != reply.body.size())
                    throw Poco::Net::ConnectionResetException("the answer ended early");
            } else {
                char buffer[64 * 1024];
                while (in) {
                    in.read(buffer, sizeof buffer);
                    reply.body.append(buffer, static_cast<std::size_t>(in.gcount()));
                    if (reply.body.size() > kMaxReply)
                        unreadable(method + " " + target,
                            "an answer of more than " + std::to_string(kMaxReply) + " bytes");
                }
                if (in.bad())
                    throw Poco::Net::ConnectionResetException("the answer ended early");
            }
            return reply;
        } catch (const DomainError&) {
            disconnect(); // an answer left half read: the connection cannot carry another
            throw;
        } catch (const Poco::Net::CertificateValidationException& e) {
            disconnect();
            throw DomainError("sync.tls_failed", {{"peer", m_shownUrl}, {"reason", e.displayText()}});
        } catch (const Poco::Net::SSLException& e) {
            disconnect();
            // On a connection that carried requests before, the peer closing it shows as a
            // TLS error; a handshake that fails is on a fresh connection.
            if (reused && attempt == 0 && !m_aborted)
                continue;
            if (reused || dynamic_cast<const Poco::Net::SSLConnectionUnexpectedlyClosedException*>(&e))
                throw DomainError("sync.unreachable", {{"peer", m_shownUrl}, {"reason", e.displayText()}});
            throw DomainError("sync.tls_failed", {{"peer", m_shownUrl}, {"reason", e.displayText()}});
        } catch (const Poco::Exception& e) {
            disconnect();
            // A keep-alive connection the peer closed while idle fails on first use: one
            // more try on a fresh one. Every request here is idempotent (_bulk_docs with
            // new_edits:false stores an event once however often it is sent).
            if (reused && attempt == 0 && !m_aborted)
                continue;
            throw DomainError("sync.unreachable", {{"peer", m_shownUrl}, {"reason", e.displayText()}});
        }
    }
}

[[noreturn]] void HttpEndpoint::refused(const std::string& request, const Reply& reply) const
{
    std::string error;
    std::string reason;
    try {
        const Json body = parseJsonFast(reply.body);
        if (body.isObject()) {
            error = body["error"].isString() ? body["error"].asString() : "";
            reason = body["reason"].isString() ? body["reason"].asString() : "";
        }
    } catch (const DomainError&) {
        reason = reply.body.substr(0, 200);
    }
    if (reply.status == 401 || reply.status == 403)
        throw DomainError("sync.unauthorized",
            {{"peer", m_shownUrl}, {"status", std::to_string(reply.status)}, {"request", request},
                {"reason", reason}});
    throw DomainError("sync.peer_refused",
        {{"peer", m_shownUrl}, {"status", std::to_string(reply.status)}, {"request", request},
            {"error", error}, {"reason", reason}});
}

[[noreturn]] void HttpEndpoint::unreadable(const std::string& request, const std::string& reason) const
{
    throw DomainError("sync.peer_response", {{"peer", m_shownUrl}, {"request", request}, {"reason", reason}});
}

std::string HttpEndpoint::dbPath() const
{
    return "/" + percentEncode(m_options.database);
}

std::string HttpEndpoint::id() const
{
    if (m_uuid.empty()) {
        // The uuid is fetched once and kept: id() is const for the engine, which only
        // names checkpoints with it.
        auto& self = const_cast<HttpEndpoint&>(*this);
        const Reply reply = self.exchange("GET", "/");
        if (reply.status != 200)
            refused("GET /", reply);
        try {
            const Json welcome = parseJsonFast(reply.body);
            const std::string uuid = welcome.getString("uuid");
            if (uuid.empty() || uuid.find_first_of("/\\ ") != std::string::npos)
                unreadable("GET /", "no uuid");
            m_uuid = uuid;
        } catch (const DomainError& e) {
            if (e.code() == "sync.peer_response")
                throw;
            unreadable("GET /", e.what());
        }
    }
    return m_uuid;
}

HttpEndpoint::Info HttpEndpoint::info()
{
    const std::string target = dbPath();
    const Reply reply = exchange("GET", target);
    if (reply.status != 200)
        refused("GET " + target, reply);
    Info info;
    try {
        const Json body = parseJsonFast(reply.body);
        const auto seq = body.isObject() ? cursorOf(body["update_seq"]) : std::nullopt;
        if (!seq)
            unreadable("GET " + target, "no update_seq");
        info.updateSeq = *seq;
        info.docCount = body.getInt("doc_count");
    } catch (const DomainError& e) {
        if (e.code() == "sync.peer_response")
            throw;
        unreadable("GET " + target, e.what());
    }
    return info;
}

std::vector<db::Change> HttpEndpoint::changesSince(std::int64_t cursor, std::size_t limit)
{
    const std::string target = dbPath() + "/_changes?since=" + std::to_string(cursor)
        + "&limit=" + std::to_string(limit) + "&include_docs=true";
    const Reply reply = exchange("GET", target);
    if (reply.status != 200)
        refused("GET _changes", reply);
    Json body;
    try {
        body = parseJsonFast(reply.body);
    } catch (const DomainError& e) {
        unreadable("GET _changes", "not JSON: " + e.fact("reason"));
    }
    const Json* results = body.isObject() ? body.get("results") : nullptr;
    if (!results || !results->isArray())
        unreadable("GET _changes", "no results array");
    std::vector<db::Change> changes;
    changes.reserve(results->size());
    for (auto& row : body.get("results")->asArray()) {
        const auto seq = row.isObject() ? cursorOf(std::as_const(row)["seq"]) : std::nullopt;
        if (!seq)
            unreadable("GET _changes", "a result without a numeric seq");
        Json* doc = row.get("doc");
        if (!doc)
            unreadable("GET _changes", "a result without its document");
        // An event the peer holds that is not valid stops the pull here, visibly: skipping
        // it would move the checkpoint past it and lose it silently.
        std::string reason;
        db::Change change{*seq, {}, {}, true};
        auto event = eventFromDocument(std::move(*doc), reason, change.doc);
        if (!event) {
            const Json& id = std::as_const(row)["id"];
            unreadable("GET _changes", (id.isString() ? id.asString() : std::string("?")) + ": " + reason);
        }
        change.event = std::move(*event);
        changes.push_back(std::move(change));
    }
    return changes;
}

std::vector<std::string> HttpEndpoint::lacking(const std::vector<std::string>& ids)
{
    // Without revisions _revs_diff cannot answer; each id is looked up with open_revs.
    // The engine asks through lackingOf, which has the revisions.
    std::vector<std::string> missing;
    for (const auto& id : ids) {
        const std::string target = dbPath() + "/" + percentEncode(id) + "?open_revs=all";
        const Reply reply = exchange("GET", target);
        if (reply.status == 404) {
            missing.push_back(id);
            continue;
        }
        if (reply.status != 200)
            refused("GET " + id, reply);
        try {
            const Json found = parseJsonFast(reply.body);
            if (!found.isArray() || found.size() == 0)
                missing.push_back(id);
        } catch (const DomainError& e) {
            unreadable("GET " + id, e.what());
        }
    }
    return missing;
}

std::vector<std::string> HttpEndpoint::lackingOf(const std::vector<db::Change>& changes)
{
    if (changes.empty())
        return {};
    std::string body = "{";
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& c = changes[i];
        if (i)
            body += ',';
        // A document text at hand holds the revision; otherwise it is computed.
        const std::string rev = c.doc.empty() ? c.event.rev() : db::documentRevision(c.doc);
        body += jsonString(c.event.id()) + ":[" + jsonString(rev.empty() ? c.event.rev() : rev) + "]";
    }
    body += "}";
    const std::string target = dbPath() + "/_revs_diff";
    const Reply reply = exchange("POST", target, &body);
    if (reply.status != 200)
        refused("POST _revs_diff", reply);
    Json answer;
    try {
        answer = parseJsonFast(reply.body);
    } catch (const DomainError& e) {
        unreadable("POST _revs_diff", "not JSON: " + e.fact("reason"));
    }
    if (!answer.isObject())
        unreadable("POST _revs_diff", "not an object");
    // The answer is keyed by id; the engine wants the order it asked in.
    std::vector<std::string> missing;
    for (const auto& c : changes) {
        const std::string id = c.event.id();
        const Json* entry = answer.get(id);
        if (entry && entry->isObject() && entry->get("missing") && entry->get("missing")->size() > 0)
            missing.push_back(id);
    }
    return missing;
}

std::size_t HttpEndpoint::receive(const std::vector<model::Event>& events)
{
    std::vector<db::Change> changes;
    changes.reserve(events.size());
    for (const auto& e : events)
        changes.push_back({0, e, {}, false});
    return receiveChanges(std::move(changes));
}

std::size_t HttpEndpoint::receiveChanges(std::vector<db::Change> changes)
{
    if (changes.empty())
        return 0;
    // Sent as the text at hand (the peer checks every hash itself), else serialised.
    std::vector<std::string> texts;
    texts.reserve(changes.size());
    std::size_t size = 32;
    for (auto& c : changes) {
        texts.push_back(c.doc.empty() ? c.event.documentText() : std::move(c.doc));
        size += texts.back().size() + 1;
    }
    const std::size_t sentCount = changes.size();
    changes.clear();
    std::string body;
    body.reserve(size);
    body += "{\"docs\":[";
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i)
            body += ',';
        body += texts[i];
    }
    body += "],\"new_edits\":false}";
    texts.clear();
    const std::string target = dbPath() + "/_bulk_docs";
    const Reply reply = exchange("POST", target, &body);
    if (reply.status != 201 && reply.status != 200 && reply.status != 202)
        refused("POST _bulk_docs", reply);
    Json answer;
    try {
        answer = parseJsonFast(reply.body);
    } catch (const DomainError& e) {
        unreadable("POST _bulk_docs", "not JSON: " + e.fact("reason"));
    }
    if (!answer.isArray())
        unreadable("POST _bulk_docs", "not an array");
    // With new_edits:false a CouchDB peer lists only the refused documents; one that
    // lists every document marks the stored ones "ok".
    const Json* firstError = nullptr;
    std::size_t refusedCount = 0;
    for (const auto& r : answer.asArray()) {
        if (r.isObject() && r.get("error")) {
            if (!firstError)
                firstError = &r;
            ++refusedCount;
        }
    }
    if (firstError)
        throw DomainError("sync.document_refused",
            {{"peer", m_shownUrl}, {"id", firstError->getString("id")},
                {"error", (*firstError)["error"].isString() ? (*firstError)["error"].asString() : ""},
                {"reason", (*firstError)["reason"].isString() ? (*firstError)["reason"].asString() : ""},
                {"refused", std::to_string(refusedCount)}, {"sent", std::to_string(sentCount)}});
    return sentCount;
}

std::optional<std::int64_t> HttpEndpoint::checkpoint(const std::string& key)
{
    const std::string target = dbPath() + "/_local/" + percentEncode(key);
    const Reply reply = exchange("GET", target);
    if (reply.status == 404) {
        m_localRevs.erase(key);
        return std::nullopt;
    }
    if (reply.status != 200)
        refused("GET _local", reply);
    Json doc;
    try {
        doc = parseJsonFast(reply.body);
    } catch (const DomainError& e) {
        unreadable("GET _local", "not JSON: " + e.fact("reason"));
    }
    if (!doc.isObject())
        unreadable("GET _local", "not an object");
    if (doc["_rev"].isString())
        m_localRevs[key] = doc["_rev"].asString();
    const auto value = cursorOf(doc["value"]);
    if (!value)
        throw DomainError("sync.checkpoint_invalid", {{"key", key}, {"value", doc["value"].canonical()}});
    return value;
}

void HttpEndpoint::setCheckpoint(const std::string& key, std::int64_t value)
{
    const std::string target = dbPath() + "/_local/" + percentEncode(key);
    for (int attempt = 0; attempt < 2; ++attempt) {
        // The revision is needed to update: read it when we hold none (first write of this
        // run) or after a conflict (someone else wrote it meanwhile).
        if (!m_localRevs.count(key)) {
            const Reply current = exchange("GET", target);
            if (current.status == 200) {
                try {
                    const Json doc = parseJsonFast(current.body);
                    m_localRevs[key] = doc.getString("_rev");
                } catch (const DomainError& e) {
                    unreadable("GET _local", e.what());
                }
            } else if (current.status != 404) {
                refused("GET _local", current);
            }
        }
        std::string body = "{\"_id\":" + jsonString("_local/" + key);
        if (auto rev = m_localRevs.find(key); rev != m_localRevs.end() && !rev->second.empty())
            body += ",\"_rev\":" + jsonString(rev->second);
        body += ",\"value\":" + jsonString(std::to_string(value)) + "}";
        const Reply reply = exchange("PUT", target, &body);
        if (reply.status == 409) {
            m_localRevs.erase(key);
            continue;
        }
        if (reply.status != 201 && reply.status != 200)
            refused("PUT _local", reply);
        try {
            const Json answer = parseJsonFast(reply.body);
            m_localRevs[key] = answer.getString("rev");
        } catch (const DomainError&) {
            m_localRevs.erase(key); // read again before the next update
        }
        return;
    }
    throw DomainError("sync.peer_refused",
        {{"peer", m_shownUrl}, {"status", "409"}, {"request", "PUT _local"}, {"error", "conflict"},
            {"reason", "the checkpoint keeps changing"}});
}

} // namespace ow::sync
