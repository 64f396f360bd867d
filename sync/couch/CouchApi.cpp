#include "sync/couch/CouchApi.h"

#include "model/Error.h"
#include "model/Json.h"
#include "model/Log.h"
#include "model/Md5.h"

#include "sync/couch/EventJson.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <spdlog/spdlog.h>

namespace ow::sync {

using model::DomainError;
using model::Json;

const std::string* HttpRequest::param(const std::string& name) const
{
    for (const auto& [k, v] : query)
        if (k == name)
            return &v;
    return nullptr;
}

namespace {

std::string percentDecoded(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace

void HttpRequest::setTarget(const std::string& target)
{
    const auto q = target.find('?');
    path = percentDecoded(target.substr(0, q));
    query.clear();
    if (q == std::string::npos)
        return;
    const std::string rest = target.substr(q + 1);
    std::size_t i = 0;
    while (i <= rest.size()) {
        const auto amp = rest.find('&', i);
        const std::string part = rest.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
        const auto eq = part.find('=');
        if (!part.empty())
            query.emplace_back(percentDecoded(part.substr(0, eq)),
                eq == std::string::npos ? std::string() : percentDecoded(part.substr(eq + 1)));
        if (amp == std::string::npos)
            break;
        i = amp + 1;
    }
}

// ---------------------------------------------------------------------------- StorePool

StorePool::StorePool(std::string connection, std::size_t size)
    : m_connection(std::move(connection))
{
    db::OpenOptions options;
    options.create = false;
    options.migrate = false;
    options.walCheckpointPages = kNodeWalCheckpointPages;
    for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i)
        m_idle.push_back(db::Store::open(m_connection, options));
    m_writer = db::Store::open(m_connection, options);
}

StorePool::~StorePool() = default;

StorePool::Lease::Lease(StorePool& pool, std::unique_ptr<db::Store> store)
    : m_pool(&pool)
    , m_store(std::move(store))
{
}

StorePool::Lease::~Lease()
{
    if (m_store)
        m_pool->release(std::move(m_store));
}

StorePool::Lease StorePool::acquire()
{
    std::unique_lock lock(m_mutex);
    m_free.wait(lock, [&] { return !m_idle.empty(); });
    auto store = std::move(m_idle.back());
    m_idle.pop_back();
    return Lease(*this, std::move(store));
}

StorePool::WriterTurn StorePool::writerTurn()
{
    std::lock_guard lock(m_mutex);
    return WriterTurn(*this, m_nextTicket++);
}

StorePool::WriterTurn::WriterTurn(StorePool& pool, std::uint64_t ticket)
    : m_pool(&pool)
    , m_ticket(ticket)
{
}

StorePool::WriterTurn::WriterTurn(WriterTurn&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr))
    , m_ticket(other.m_ticket)
    , m_waited(other.m_waited)
{
}

StorePool::WriterTurn::~WriterTurn()
{
    if (m_pool)
        m_pool->endTurn(m_ticket, m_waited);
}

db::Store& StorePool::WriterTurn::store()
{
    if (!m_waited) {
        std::unique_lock lock(m_pool->m_mutex);
        m_pool->m_turnDone.wait(lock, [&] { return m_pool->m_serving == m_ticket; });
        m_waited = true;
    }
    return *m_pool->m_writer;
}

void StorePool::endTurn(std::uint64_t ticket, bool waited)
{
    {
        std::lock_guard lock(m_mutex);
        if (!waited && ticket != m_serving) {
            m_dropped.insert(ticket); // skipped when its turn comes
            return;
        }
        ++m_serving;
        while (m_dropped.erase(m_serving))
            ++m_serving;
    }
    m_turnDone.notify_all();
}

void StorePool::release(std::unique_ptr<db::Store> store)
{
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(store));
    }
    m_free.notify_one();
}

// ---------------------------------------------------------------------------- helpers

namespace {

HttpResponse json(int status, const Json& body)
{
    HttpResponse r;
    r.status = status;
    r.body = body.canonical();
    return r;
}

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD: a reason may
// quote what a request sent, and the answer must still be JSON.
std::string validUtf8(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && len > 1) {
            // Overlong forms, surrogates and code points above U+10FFFF are not UTF-8 either.
            std::uint32_t cp = c & (0xFF >> (len + 1));
            for (std::size_t k = 1; k < len; ++k)
                cp = (cp << 6) | (p[i + k] & 0x3F);
            ok = !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) && !(len == 4 && cp < 0x10000)
                && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
        }
        if (ok) {
            out.append(text, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

HttpResponse error(int status, const std::string& error, const std::string& reason)
{
    Json body = Json::object();
    body["error"] = error;
    body["reason"] = validUtf8(reason);
    return json(status, body);
}

HttpResponse notFound(const std::string& reason = "missing")
{
    return error(404, "not_found", reason);
}

HttpResponse methodNotAllowed(const std::string& allowed)
{
    auto r = error(405, "method_not_allowed", "Only " + allowed + " allowed");
    r.headers.emplace_back("Allow", allowed);
    return r;
}

std::vector<std::string> splitPath(const std::string& path)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/')
            ++i;
        if (i >= path.size())
            break;
        const auto next = path.find('/', i);
        out.push_back(path.substr(i, next == std::string::npos ? std::string::npos : next - i));
        i = next == std::string::npos ? path.size() : next;
    }
    return out;
}

// A boolean parameter (`true` or `false`, as CouchDB takes them), or a 400 naming it: a
// value the server would read as false would silently change what the caller asked for.
std::optional<HttpResponse> boolParam(const HttpRequest& req, const std::string& name, bool& out)
{
    out = false;
    const std::string* v = req.param(name);
    if (!v)
        return std::nullopt;
    if (*v != "true" && *v != "false")
        return error(400, "bad_request", "Query parameter `" + name + "` must be true or false");
    out = *v == "true";
    return std::nullopt;
}

// A non-negative integer parameter, or a 400 naming it.
std::optional<HttpResponse> intParam(
    const HttpRequest& req, const std::string& name, std::int64_t& out, std::int64_t def)
{
    out = def;
    const std::string* v = req.param(name);
    if (!v)
        return std::nullopt;
    std::string text = *v;
    // A seq may come quoted (CouchDB 2+ peers send strings).
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    std::int64_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || value < 0)
        return error(400, "bad_request", "Query parameter `" + name + "` must be a non-negative integer");
    out = value;
    return std::nullopt;
}

// The stored text with CouchDB's revision history added: one revision, ours.
std::string withRevisions(const std::string& doc)
{
    const std::string rev = db::documentRevision(doc);
    const auto dash = rev.find('-');
    if (doc.empty() || doc.back() != '}' || dash == std::string::npos)
        return doc;
    return doc.substr(0, doc.size() - 1) + ",\"_revisions\":{\"ids\":[\"" + rev.substr(dash + 1)
        + "\"],\"start\":1}}";
}

std::string jsonString(const std::string& s)
{
    return Json(s).canonical();
}

bool isJsonBody(const HttpRequest& req)
{
    if (req.contentType.empty())
        return true;
    std::string type = req.contentType.substr(0, req.contentType.find(';'));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
    return type == "application/json";
}

} // namespace

// ---------------------------------------------------------------------------- CouchApi

CouchApi::CouchApi(StorePool& stores, Options options)
    : m_stores(stores)
    , m_options(std::move(options))
{
    if (m_options.uuid.empty()) {
        auto store = m_stores.acquire();
        m_options.uuid = model::md5Hex("onewindow-node:" + store->origin());
    }
}

void CouchApi::notifyChanged()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
    }
    m_changed.notify_all();
}

void CouchApi::shutdown()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        ++m_generation;
    }
    m_changed.notify_all();
}

CouchApi::Counters CouchApi::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

HttpResponse CouchApi::handle(const HttpRequest& request)
{
    {
        std::lock_guard lock(m_mutex);
        ++m_counters.requests;
    }
    try {
        if (request.body.size() > m_options.maxBodyBytes)
            return error(413, "too_large",
                "The request body is " + std::to_string(request.body.size()) + " bytes; the limit is "
                    + std::to_string(m_options.maxBodyBytes));
        auto response = route(request);
        if (request.method == "HEAD")
            response.body.clear();
        return response;
    } catch (const DomainError& e) {
        // The database does not answer: the peer should come back later.
        if (e.code().rfind("db.", 0) == 0) {
            model::logger()->warn("couch api: {} {}: {}", request.method, request.path, e.what());
            return error(503, "service_unavailable", e.what());
        }
        model::logger()->error("couch api: {} {}: {}", request.method, request.path, e.what());
        return error(500, "internal_error", e.what());
    } catch (const std::exception& e) {
        model::logger()->error("couch api: {} {}: {}", request.method, request.path, e.what());
        return error(500, "internal_error", e.what());
    }
}

namespace {

struct Route {
    StorePool& stores;
    const CouchApi::Options& options;
    const HttpRequest& req;
    std::function<void(const std::function<void(CouchApi::Counters&)>&)> count;
    std::function<bool(std::uint64_t&, std::chrono::steady_clock::time_point)> waitForChange;
    std::function<void()> changed;
    std::function<bool()> stopping;

    HttpResponse welcome() const
    {
        Json body = Json::object();
        body["couchdb"] = "Welcome";
        body["version"] = options.serverVersion;
        body["uuid"] = options.uuid;
        body["vendor"]["name"] = "OneWindow";
        body["features"] = Json::array();
        return json(200, body);
    }

    HttpResponse info() const
    {
        auto store = stores.acquire();
        Json body = Json::object();
        body["db_name"] = options.database;
        body["doc_count"] = store->eventCount();
        body["doc_del_count"] = 0;
        body["update_seq"] = store->lastArrival();
        body["purge_seq"] = 0;
        body["compact_running"] = false;
        body["disk_format_version"] = 8;
        body["instance_start_time"] = "0";
        body["sizes"]["file"] = 0;
        body["sizes"]["external"] = 0;
        body["sizes"]["active"] = 0;
        body["props"] = Json::object();
        return json(200, body);
    }

    HttpResponse changes() const
    {
        std::int64_t since = 0, limit = 0, timeout = 0;
        const std::string* sinceText = req.param("since");
        const bool now = sinceText && *sinceText == "now";
        if (now) {
            // Resolved once: a change made while a longpoll waits is what it waits for.
            since = stores.acquire()->lastArrival();
        } else if (auto bad = intParam(req, "since", since, 0)) {
            return *bad;
        }
        if (auto bad = intParam(req, "limit", limit, 10000))
            return *bad;
        if (auto bad = intParam(req, "timeout", timeout, options.maxLongpoll.count()))
            return *bad;
        std::int64_t heartbeat = 0;
        if (auto bad = intParam(req, "heartbeat", heartbeat, 0))
            return *bad;
        const std::string feed = req.param("feed") ? *req.param("feed") : "normal";
        if (feed != "normal" && feed != "longpoll")
            return error(400, "bad_request", "Only feed=normal and feed=longpoll are served, not " + feed);
        bool descending = false;
        if (auto bad = boolParam(req, "descending", descending))
            return *bad;
        if (descending)
            return error(400, "bad_request", "descending=true is not served");
        bool docs = false;
        if (auto bad = boolParam(req, "include_docs", docs))
            return *bad;
        // Only the document-id filter, which needs no code on the server. An empty list
        // asks for nothing.
        std::optional<std::set<std::string>> onlyIds;
        if (const std::string* filter = req.param("filter")) {
            if (*filter != "_doc_ids")
                return error(400, "bad_request", "Only filter=_doc_ids is served, not " + *filter);
            std::optional<Json> list;
            if (req.method == "POST") {
                auto parsed = parseBody();
                if (!parsed.first)
                    return *parsed.second;
                if (const Json* ids = parsed.first->isObject() ? parsed.first->get("doc_ids") : nullptr)
                    list = *ids;
            } else if (const std::string* idList = req.param("doc_ids")) {
                try {
                    list = Json::parse(*idList);
                } catch (const DomainError&) {
                    return error(400, "bad_request", "doc_ids must be a JSON array of strings");
                }
            }
            if (!list)
                return error(400, "bad_request", "filter=_doc_ids needs a doc_ids array");
            if (!list->isArray())
                return error(400, "bad_request", "doc_ids must be a JSON array of strings");
            onlyIds.emplace();
            for (const auto& id : list->asArray()) {
                if (!id.isString())
                    return error(400, "bad_request", "doc_ids must be a JSON array of strings");
                onlyIds->insert(id.asString());
            }
        }
        limit = std::clamp<std::int64_t>(limit, 1, 100000);
        std::chrono::milliseconds wait(std::min<std::int64_t>(timeout, options.maxLongpoll.count()));
        if (heartbeat > 0 && !req.param("timeout"))
            wait = std::chrono::milliseconds(std::min<std::int64_t>(heartbeat, options.maxLongpoll.count()));
        const auto deadline = std::chrono::steady_clock::now() + wait;

        std::uint64_t seen = 0;
        const auto cap = static_cast<std::size_t>(limit);
        for (;;) {
            // As CouchDB: filtered, the limit counts the changes returned, so pages are
            // read until that many are wanted or the feed ends, and last_seq is the last
            // change looked at (a caller asking again from it goes on past the changes it
            // did not want). A peer that takes a short page for the end (PouchDB) needs both.
            std::vector<db::RawChange> rows;
            std::int64_t scanned = since;
            std::int64_t last = 0;
            {
                auto store = stores.acquire();
                // Filtered, pages of at least 1000 are looked through without their
                // documents; those of the changes kept are read afterwards.
                const std::size_t page = onlyIds ? std::max<std::size_t>(cap, 1000) : cap;
                for (bool more = true; more && rows.size() < cap;) {
                    auto read = store->rawChangesSince(scanned, page, docs && !onlyIds);
                    more = onlyIds && read.size() == page;
                    for (auto& c : read) {
                        if (rows.size() == cap) {
                            more = false;
                            break;
                        }
                        scanned = c.arrival;
                        if (!onlyIds || onlyIds->count(c.id))
                            rows.push_back(std::move(c));
                    }
                }
                if (onlyIds && docs && !rows.empty()) {
                    std::vector<std::string> ids;
                    for (const auto& c : rows)
                        ids.push_back(c.id);
                    auto found = store->documents(ids);
                    for (auto& c : rows)
                        c.doc = std::move(found[c.id]);
                }
                last = store->lastArrival();
            }
            if (!rows.empty() || feed != "longpoll" || std::chrono::steady_clock::now() >= deadline
                || stopping()) {
                std::string out = "{\"results\":[";
                std::int64_t lastSeq = scanned;
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    const auto& c = rows[i];
                    if (i)
                        out += ',';
                    out += "{\"seq\":" + std::to_string(c.arrival) + ",\"id\":" + jsonString(c.id)
                        + ",\"changes\":[{\"rev\":" + jsonString(c.rev) + "}]";
                    if (docs)
                        out += ",\"doc\":" + withRevisions(c.doc);
                    out += '}';
                }
                out += "],\"last_seq\":" + std::to_string(lastSeq)
                    + ",\"pending\":" + std::to_string(std::max<std::int64_t>(0, last - lastSeq)) + "}";
                if (docs)
                    count([&](CouchApi::Counters& c) {
                        c.docsServed += static_cast<std::int64_t>(rows.size());
                    });
                HttpResponse r;
                r.body = std::move(out);
                return r;
            }
            // Longpoll: wait for a change made through this node, or look again soon for
            // one another process wrote to the database.
            since = scanned;
            waitForChange(
                seen, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(500)));
        }
    }

    // Whether `object`'s `key`, when given (and not null), is a string: getString throws on
    // any other value, which would end the request in a 500.
    static bool stringOrAbsent(const Json& object, const std::string& key)
    {
        const Json* value = object.get(key);
        return !value || value->isNull() || value->isString();
    }

    // The body as JSON, or the 4xx to answer.
    std::pair<std::optional<Json>, std::optional<HttpResponse>> parseBody() const
    {
        if (!isJsonBody(req))
            return {std::nullopt, error(415, "bad_content_type", "Content-Type must be application/json")};
        try {
            return {parseJsonFast(req.body), std::nullopt};
        } catch (const DomainError& e) {
            return {std::nullopt, error(400, "bad_request", "invalid UTF-8 JSON: " + e.fact("reason"))};
        }
    }

    HttpResponse revsDiff() const
    {
        auto [body, bad] = parseBody();
        if (bad)
            return *bad;
        if (!body->isObject())
            return error(400, "bad_request", "the body must be an object of document ids and revisions");
        std::vector<std::string> ids;
        for (const auto& [id, revs] : body->asObject()) {
            if (!revs.isArray())
                return error(400, "bad_request", "the revisions of " + id + " must be an array");
            for (const auto& r : revs.asArray())
                if (!r.isString())
                    return error(400, "bad_request", "the revisions of " + id + " must be strings");
            ids.push_back(id);
        }
        std::map<std::string, std::string> docs;
        {
            auto store = stores.acquire();
            docs = store->documents(ids);
        }
        Json out = Json::object();
        for (const auto& [id, revs] : body->asObject()) {
            auto have = docs.find(id);
            const std::string stored
                = have == docs.end() ? std::string() : db::documentRevision(have->second);
            Json missing = Json::array();
            for (const auto& r : revs.asArray())
                if (r.asString() != stored)
                    missing.push_back(r);
            if (missing.size() > 0)
                out[id]["missing"] = std::move(missing);
        }
        return json(200, out);
    }

    HttpResponse bulkDocs() const
    {
        // Taken before the documents are checked, so that requests store in arrival order.
        auto turn = stores.writerTurn();
        auto [body, bad] = parseBody();
        if (bad)
            return *bad;
        const Json* docs = body->isObject() ? body->get("docs") : nullptr;
        if (!docs || !docs->isArray())
            return error(400, "bad_request", "the body must be an object with a docs array");
        const Json* newEdits = body->get("new_edits");
        if (!newEdits || !newEdits->isBool() || newEdits->asBool())
            return error(400, "bad_request",
                "new_edits must be false: events are stored as they were written, never edited");
        if (docs->size() > options.maxDocsPerRequest)
            return error(413, "too_large",
                std::to_string(docs->size()) + " documents in one request; the limit is "
                    + std::to_string(options.maxDocsPerRequest));

        Json errors = Json::array();
        const auto reject = [&](const std::string& id, const std::string& kind, const std::string& reason) {
            Json e = Json::object();
            e["id"] = id;
            e["error"] = kind;
            e["reason"] = reason;
            errors.push_back(std::move(e));
        };
        std::vector<model::Event> events;
        std::vector<std::string> texts; // each event's canonical text, made by its hash check
        std::map<std::string, std::string> hashes; // id -> hash within this batch
        const std::size_t docCount = docs->size();
        for (auto& doc : body->get("docs")->asArray()) {
            std::string id;
            if (doc.isObject() && doc.get("_id") && doc.get("_id")->isString())
                id = doc.get("_id")->asString();
            std::string reason;
            std::string text;
            auto event = eventFromDocument(std::move(doc), reason, text);
            if (!event) {
                reject(id, "forbidden", reason);
                continue;
            }
            if (auto [it, inserted] = hashes.emplace(id, event->hash); !inserted) {
                if (it->second != event->hash)
                    reject(id, "conflict", "two different events with this id in one request");
                continue;
            }
            events.push_back(std::move(*event));
            texts.push_back(std::move(text));
        }
        std::size_t stored = 0;
        const bool anyValid = !events.empty();
        if (!events.empty()) {
            db::Store& store = turn.store();
            // The store leaves out and reports what collides with its events or claims its
            // origin; the rest go in.
            std::vector<db::RefusedEvent> refused;
            stored = store.receive(std::move(events), std::move(texts), &refused);
            for (const auto& r : refused) {
                if (r.reason == "own_origin")
                    reject(
                        r.id, "forbidden", "origin: an event of this node's own origin that it never wrote");
                else
                    reject(r.id, "conflict", "a different event with this id is stored or held here");
            }
        }
        const auto rejected = static_cast<std::int64_t>(errors.size());
        count([&](CouchApi::Counters& c) {
            c.docsReceived += static_cast<std::int64_t>(docCount);
            c.docsStored += static_cast<std::int64_t>(stored);
            c.docsRejected += rejected;
        });
        if (rejected > 0)
            model::logger()->warn("_bulk_docs: {} of {} documents refused (first: {} {})", rejected, docCount,
                errors.asArray().front().getString("id"), errors.asArray().front().getString("reason"));
        if (stored > 0 || anyValid)
            changed();
        return json(201, errors);
    }

    HttpResponse bulkGet() const
    {
        bool revs = false;
        if (auto wrong = boolParam(req, "revs", revs))
            return *wrong;
        auto [body, bad] = parseBody();
        if (bad)
            return *bad;
        const Json* wanted = body->isObject() ? body->get("docs") : nullptr;
        if (!wanted || !wanted->isArray())
            return error(400, "bad_request", "the body must be an object with a docs array");
        std::vector<std::string> ids;
        for (const auto& w : wanted->asArray()) {
            if (!w.isObject() || !w.get("id") || !w.get("id")->isString())
                return error(400, "bad_request", "each entry of docs needs an id");
            if (!stringOrAbsent(w, "rev"))
                return error(
                    400, "bad_request", "the rev of " + w.get("id")->asString() + " must be a string");
            ids.push_back(w.get("id")->asString());
        }
        std::map<std::string, std::string> docs;
        {
            auto store = stores.acquire();
            docs = store->documents(ids);
        }
        std::string out = "{\"results\":[";
        std::int64_t served = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const Json& w = wanted->asArray()[i];
            const std::string rev = w.getString("rev");
            if (i)
                out += ',';
            out += "{\"id\":" + jsonString(ids[i]) + ",\"docs\":[";
            auto have = docs.find(ids[i]);
            if (have != docs.end() && (rev.empty() || rev == db::documentRevision(have->second))) {
                out += "{\"ok\":" + (revs ? withRevisions(have->second) : have->second) + "}";
                ++served;
            } else {
                out += "{\"error\":{\"id\":" + jsonString(ids[i])
                    + ",\"rev\":" + jsonString(rev.empty() ? "undefined" : rev)
                    + ",\"error\":\"not_found\",\"reason\":\"missing\"}}";
            }
            out += "]}";
        }
        out += "]}";
        count([&](CouchApi::Counters& c) { c.docsServed += served; });
        HttpResponse r;
        r.body = std::move(out);
        return r;
    }

    HttpResponse document(const std::string& id) const
    {
        if (req.method != "GET" && req.method != "HEAD") {
            if (req.method == "PUT" || req.method == "DELETE" || req.method == "POST")
                return error(
                    403, "forbidden", "events are written by the services and never changed or deleted");
            return methodNotAllowed("GET,HEAD");
        }
        bool revs = false;
        if (auto bad = boolParam(req, "revs", revs))
            return *bad;
        std::map<std::string, std::string> docs;
        {
            auto store = stores.acquire();
            docs = store->documents({id});
        }
        auto have = docs.find(id);
        if (const std::string* openRevs = req.param("open_revs")) {
            // [{"ok": doc}] for each asked revision we hold, {"missing": rev} otherwise.
            std::vector<std::string> asked;
            if (*openRevs != "all") {
                try {
                    const Json list = Json::parse(*openRevs);
                    for (const auto& r : list.asArray())
                        asked.push_back(r.asString());
                } catch (const DomainError&) {
                    return error(
                        400, "bad_request", "open_revs must be \"all\" or a JSON array of revisions");
                }
            }
            const std::string stored
                = have == docs.end() ? std::string() : db::documentRevision(have->second);
            std::string out = "[";
            bool first = true;
            const auto add = [&](const std::string& part) {
                out += first ? "" : ",";
                out += part;
                first = false;
            };
            if (*openRevs == "all") {
                if (have != docs.end())
                    add("{\"ok\":" + (revs ? withRevisions(have->second) : have->second) + "}");
            } else {
                for (const auto& r : asked)
                    add(r == stored && have != docs.end()
                            ? "{\"ok\":" + (revs ? withRevisions(have->second) : have->second) + "}"
                            : "{\"missing\":" + jsonString(r) + "}");
            }
            out += "]";
            HttpResponse r;
            r.body = std::move(out);
            return r;
        }
        if (have == docs.end())
            return notFound();
        if (const std::string* rev = req.param("rev"); rev && *rev != db::documentRevision(have->second))
            return notFound();
        HttpResponse r;
        r.body = revs ? withRevisions(have->second) : have->second;
        r.headers.emplace_back("ETag", "\"" + db::documentRevision(have->second) + "\"");
        count([&](CouchApi::Counters& c) { ++c.docsServed; });
        return r;
    }

    HttpResponse allDocs() const
    {
        std::int64_t limit = 0, skip = 0;
        if (auto bad = intParam(req, "limit", limit, 1000000))
            return *bad;
        if (auto bad = intParam(req, "skip", skip, 0))
            return *bad;
        bool docs = false;
        if (auto bad = boolParam(req, "include_docs", docs))
            return *bad;
        // Ranges and orders other than all ids ascending are not served: answering them
        // with every document would be a wrong answer, not a partial one.
        for (const char* range :
            {"key", "keys", "startkey", "start_key", "endkey", "end_key", "startkey_docid",
                "start_key_doc_id", "endkey_docid", "end_key_doc_id", "descending", "inclusive_end"})
            if (req.param(range))
                return error(
                    400, "bad_request", std::string("Query parameter `") + range + "` is not served");
        std::optional<std::vector<std::string>> keys;
        if (req.method == "POST") {
            auto [body, bad] = parseBody();
            if (bad)
                return *bad;
            const Json* list = body->isObject() ? body->get("keys") : nullptr;
            if (!list || !list->isArray())
                return error(400, "bad_request", "the body must be an object with a keys array");
            keys.emplace();
            for (const auto& k : list->asArray()) {
                if (!k.isString())
                    return error(400, "bad_request", "keys must be document ids");
                keys->push_back(k.asString());
            }
        }
        std::int64_t total = 0;
        std::string out = "{\"rows\":[";
        bool first = true;
        const auto row = [&](const std::string& id, const std::string& rev, const std::string& doc) {
            out += first ? "" : ",";
            first = false;
            out += "{\"id\":" + jsonString(id) + ",\"key\":" + jsonString(id)
                + ",\"value\":{\"rev\":" + jsonString(rev) + "}";
            if (docs)
                out += ",\"doc\":" + doc;
            out += "}";
        };
        {
            auto store = stores.acquire();
            total = store->eventCount();
            if (keys) {
                const auto found = store->documents(*keys);
                for (const auto& k : *keys) {
                    auto it = found.find(k);
                    if (it == found.end()) {
                        out += first ? "" : ",";
                        first = false;
                        out += "{\"key\":" + jsonString(k) + ",\"error\":\"not_found\"}";
                    } else {
                        row(k, db::documentRevision(it->second), it->second);
                    }
                }
            } else {
                std::string after;
                std::int64_t skipped = 0, given = 0;
                while (given < limit) {
                    auto page = store->documentsInIdOrder(after, 1000, docs);
                    if (page.empty())
                        break;
                    for (auto& d : page) {
                        after = d.id;
                        if (skipped < skip) {
                            ++skipped;
                            continue;
                        }
                        if (given >= limit)
                            break;
                        row(d.id, d.rev, d.doc);
                        ++given;
                    }
                }
            }
        }
        out += "],\"total_rows\":" + std::to_string(total) + ",\"offset\":" + std::to_string(skip) + "}";
        HttpResponse r;
        r.body = std::move(out);
        return r;
    }

    HttpResponse local(const std::string& name) const
    {
        if (name.empty())
            return notFound();
        const std::string key = "couch/local/" + name;
        const std::string id = "_local/" + name;
        auto store = stores.acquire();
        const auto current = store->setting(key);
        const bool exists = current && !current->empty();
        std::int64_t version = 0;
        Json doc;
        if (exists) {
            doc = Json::parse(*current);
            const std::string rev = doc.getString("_rev");
            std::from_chars(
                rev.data() + std::min<std::size_t>(2, rev.size()), rev.data() + rev.size(), version);
        }
        if (req.method == "GET" || req.method == "HEAD") {
            if (!exists)
                return notFound();
            return json(200, doc);
        }
        if (req.method == "PUT") {
            if (!isJsonBody(req))
                return error(415, "bad_content_type", "Content-Type must be application/json");
            Json body;
            try {
                body = Json::parse(req.body);
            } catch (const DomainError& e) {
                return error(400, "bad_request", "invalid UTF-8 JSON: " + e.fact("reason"));
            }
            if (!body.isObject())
                return error(400, "bad_request", "a local document must be an object");
            if (!stringOrAbsent(body, "_rev"))
                return error(400, "bad_request", "the _rev of a local document must be a string");
            const std::string given = body.getString("_rev");
            if (exists && given != doc.getString("_rev"))
                return error(409, "conflict", "Document update conflict.");
            body["_id"] = id;
            body["_rev"] = "0-" + std::to_string(version + 1);
            store->setSetting(key, body.canonical());
            Json out = Json::object();
            out["ok"] = true;
            out["id"] = id;
            out["rev"] = body.getString("_rev");
            return json(201, out);
        }
        if (req.method == "DELETE") {
            if (!exists)
                return notFound();
            store->setSetting(key, "");
            Json out = Json::object();
            out["ok"] = true;
            out["id"] = id;
            out["rev"] = "0-0";
            return json(200, out);
        }
        return methodNotAllowed("GET,HEAD,PUT,DELETE");
    }

    HttpResponse run() const
    {
        const auto segs = splitPath(req.path);
        const std::string& m = req.method;
        // Document ids are JSON strings: a path that is not UTF-8 names nothing here.
        if (validUtf8(req.path) != req.path)
            return error(400, "bad_request", "the path is not valid UTF-8");
        if (segs.empty())
            return m == "GET" || m == "HEAD" ? welcome() : methodNotAllowed("GET,HEAD");
        if (segs[0] == "_up")
            return json(200, Json::parse("{\"status\":\"ok\"}"));
        if (segs[0] == "_all_dbs")
            return json(200, Json(Json::Array{Json(options.database)}));
        if (segs[0] == "_session") {
            Json body = Json::parse("{\"ok\":true,\"userCtx\":{\"name\":null,\"roles\":[]}}");
            return json(200, body);
        }
        if (segs[0] != options.database)
            return notFound("Database does not exist.");
        if (segs.size() == 1) {
            if (m == "GET" || m == "HEAD")
                return info();
            if (m == "PUT")
                return error(
                    412, "file_exists", "The database could not be created, the file already exists.");
            if (m == "POST")
                return error(403, "forbidden", "events are written by the services, not posted");
            if (m == "DELETE")
                return error(403, "forbidden", "the centre's events are never deleted");
            return methodNotAllowed("GET,HEAD");
        }
        const std::string& what = segs[1];
        if (what == "_changes")
            return m == "GET" || m == "POST" || m == "HEAD" ? changes() : methodNotAllowed("GET,POST");
        if (what == "_revs_diff")
            return m == "POST" ? revsDiff() : methodNotAllowed("POST");
        if (what == "_bulk_docs")
            return m == "POST" ? bulkDocs() : methodNotAllowed("POST");
        if (what == "_bulk_get")
            return m == "POST" ? bulkGet() : methodNotAllowed("POST");
        if (what == "_ensure_full_commit") {
            if (m != "POST")
                return methodNotAllowed("POST");
            // Every batch is committed durably before it is answered.
            return json(201, Json::parse("{\"ok\":true,\"instance_start_time\":\"0\"}"));
        }
        if (what == "_all_docs")
            return m == "GET" || m == "POST" || m == "HEAD" ? allDocs() : methodNotAllowed("GET,POST");
        if (what == "_local") {
            std::string name;
            for (std::size_t i = 2; i < segs.size(); ++i)
                name += (i > 2 ? "/" : "") + segs[i];
            return local(name);
        }
        if (segs.size() > 2 || what.empty() || what[0] == '_')
            return notFound();
        return document(what);
    }
};

} // namespace

HttpResponse CouchApi::route(const HttpRequest& request)
{
    Route r{m_stores, m_options, request,
        [this](const std::function<void(Counters&)>& change) {
            std::lock_guard lock(m_mutex);
            change(m_counters);
        },
        [this](std::uint64_t& seen, std::chrono::steady_clock::time_point until) {
            std::unique_lock lock(m_mutex);
            if (seen == 0)
                seen = m_generation;
            ++m_counters.longpollsWaiting;
            const bool woke = m_changed.wait_until(lock, until, [&] { return m_generation != seen; });
            --m_counters.longpollsWaiting;
            seen = m_generation;
            return woke;
        },
        [this] { notifyChanged(); },
        [this] {
            std::lock_guard lock(m_mutex);
            return m_stopping;
        }};
    return r.run();
}

} // namespace ow::sync
