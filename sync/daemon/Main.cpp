// onewindowd — the centre node (DESIGN: "Sync between centres"; docs/ONEWINDOWD.md): serves
// the centre's events as the CouchDB database "onewindow" over HTTP(S), and pulls from and
// pushes to each configured peer centre. Stops cleanly on SIGTERM or SIGINT.
#include "model/Error.h"
#include "model/Log.h"

#include "db/Log.h"
#include "db/Store.h"
#include "sync/couch/CouchApi.h"
#include "sync/daemon/DaemonConfig.h"
#include "sync/daemon/Health.h"
#include "sync/daemon/PeerLink.h"
#include "sync/net/HttpEndpoint.h"
#include "sync/net/HttpServer.h"
#include "sync/net/NetSupport.h"

#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <pthread.h>
#include <spdlog/cfg/env.h>
#include <spdlog/spdlog.h>
#include <thread>

// jemalloc's options (sync/daemon/CMakeLists.txt says why it is the allocator): pages a
// batch freed go back to the system after half a second instead of ten, so that peak
// memory follows what the node holds rather than what it held lately (replicating
// 1,000,000 events: 291 MB at the default, 253 MB with this; speed unchanged). The
// MALLOC_CONF environment variable still overrides it.
extern "C" {
const char* malloc_conf = "dirty_decay_ms:500,muzzy_decay_ms:0";
}

namespace ow::sync::daemon {

using model::DomainError;

namespace {

// A sentence for each refusal a person starting the daemon can meet.
std::string explain(const DomainError& e)
{
    const auto& c = e.code();
    const auto f = [&](const char* key) { return e.fact(key); };
    if (c == "daemon.config")
        return (f("file").empty() ? "" : f("file") + ": ") + (f("key").empty() ? "" : f("key") + ": ")
            + f("reason");
    if (c == "sync.plain_http_refused")
        return "refusing to serve plain HTTP on " + f("listen")
            + ", which is not a loopback address: give [server] certificate and private_key for TLS, "
              "or set allow_plain_http = true (--allow-plain-http) if the network is protected otherwise";
    if (c == "sync.open_access_refused")
        return "refusing to serve " + f("listen")
            + " without accounts: only a loopback address may be open; add [account.NAME] sections "
              "(--account NAME:PASSWORD_FILE)"
            + (f("reason").empty() ? "" : " (" + f("reason") + ")");
    if (c == "sync.tls_config")
        return "the TLS certificate or key cannot be used: " + f("reason");
    if (c == "sync.listen_failed")
        return "cannot listen on " + f("listen") + ": " + f("reason");
    if (c == "sync.peer_url")
        return "peer " + f("url") + ": " + f("reason");
    if (c == "db.already_initialised")
        return "the database belongs to centre " + f("centre") + ", not the centre configured";
    return e.what();
}

// Every logger made before the level is set, so that the level reaches them all;
// SPDLOG_LEVEL still overrides per logger (SPDLOG_LEVEL=net=debug).
void configureLogging(const std::string& level)
{
    model::logger();
    db::logger();
    netLogger();
    logger();
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::cfg::load_env_levels();
}

class Node {
public:
    explicit Node(DaemonConfig config)
        : m_config(std::move(config))
        , m_started(std::chrono::steady_clock::now())
    {
    }

    // Everything the configuration says that can be refused without touching the database.
    void check() const
    {
        HttpServer::checkOptions(serverOptions());
        for (const auto& peer : m_config.peers) {
            HttpEndpoint::Options o;
            o.url = peer.url;
            o.caFile = peer.caFile;
            o.allowPlainHttp = m_config.allowPlainHttp;
            HttpEndpoint probe(o); // throws sync.peer_url; connects to nothing
        }
    }

    // Serves until `waitForStop` returns (SIGTERM, SIGINT).
    int run(const std::function<void()>& waitForStop)
    {
        openDatabase();
        m_pool = std::make_unique<StorePool>(m_config.database, m_config.poolSize);
        CouchApi::Options couch;
        couch.maxBodyBytes = m_config.maxBodyBytes;
        couch.maxLongpoll = std::chrono::duration_cast<std::chrono::milliseconds>(m_config.maxLongpoll);
        m_api = std::make_unique<CouchApi>(*m_pool, couch);
        m_uuid = m_api->uuid();
        for (const auto& peer : m_config.peers)
            m_links.push_back(std::make_unique<PeerLink>(peer, m_config, *m_api));
        m_server = std::make_unique<HttpServer>(
            *m_api, serverOptions(), [this](const HttpRequest& r) { return localRoute(r); });
        m_server->start();
        writeReadyFile();
        m_watcher = std::thread([this] { watch(); });
        for (auto& link : m_links)
            link->start();
        logger()->info("onewindowd {} for centre {} (origin {}) at {} with {} peer(s)", OW_VERSION, m_centre,
            m_origin, m_server->url(), m_links.size());

        waitForStop();

        logger()->info("stopping: finishing the batches in flight");
        shutdown();
        logger()->info("stopped");
        return Poco::Util::Application::EXIT_OK;
    }

    // Also when start-up failed halfway: no thread may outlive what it uses.
    ~Node() { shutdown(); }
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

private:
    void shutdown()
    {
        if (m_api)
            m_api->shutdown(); // waiting longpolls answer now
        for (auto& link : m_links)
            link->stop();
        m_stopping = true;
        if (m_watcher.joinable())
            m_watcher.join();
        if (m_server)
            m_server->stop(std::chrono::duration_cast<std::chrono::milliseconds>(m_config.maxLongpoll)
                + std::chrono::seconds(5));
        m_server.reset();
        m_links.clear();
        m_api.reset();
        m_pool.reset();
        std::error_code ignored;
        if (!m_config.readyFile.empty())
            std::filesystem::remove(m_config.readyFile, ignored);
    }

    HttpServer::Options serverOptions() const
    {
        HttpServer::Options o;
        o.listen = m_config.listen;
        for (const auto& a : m_config.accounts)
            o.accounts.push_back({a.name, a.password});
        o.certificateFile = m_config.certificateFile;
        o.privateKeyFile = m_config.privateKeyFile;
        o.allowPlainHttp = m_config.allowPlainHttp;
        o.maxBodyBytes = m_config.maxBodyBytes;
        o.threads = m_config.threads;
        return o;
    }

    // Opens (creating when missing) and initialises the database as `owctl init` does.
    void openDatabase()
    {
        auto store = db::Store::open(m_config.database);
        if (store->centre().empty()) {
            if (m_config.centre.empty())
                throw DomainError("daemon.config",
                    {{"key", "node.centre"},
                        {"reason", "the database has no centre yet: give --centre CODE or [node] centre"}});
            store->initialise(m_config.centre);
            logger()->info("initialised {} for centre {}",
                db::ConnectionInfo::parse(m_config.database).redacted(), m_config.centre);
        } else if (!m_config.centre.empty() && store->centre() != m_config.centre) {
            store->initialise(m_config.centre); // refuses with db.already_initialised
        }
        m_centre = store->centre();
        m_origin = store->origin();
        logger()->info("database {}: centre {}, {} event(s)",
            db::ConnectionInfo::parse(m_config.database).redacted(), m_centre, store->lastArrival());
    }

    void writeReadyFile() const
    {
        if (m_config.readyFile.empty())
            return;
        // Written beside and renamed, so a reader never sees half a URL.
        const std::string temporary = m_config.readyFile + ".tmp";
        {
            std::ofstream out(temporary, std::ios::trunc);
            out << m_server->url() << "\n";
        }
        std::filesystem::rename(temporary, m_config.readyFile);
    }

    // Notices writes to the database by anyone (owctl, a client, another link's pull):
    // longpolls and the peer links hear of them at once.
    void watch()
    {
        std::unique_ptr<db::Store> store;
        std::int64_t seen = -1;
        while (!m_stopping) {
            try {
                if (!store) {
                    db::OpenOptions options;
                    options.create = false;
                    options.migrate = false;
                    store = db::Store::open(m_config.database, options);
                }
                const auto last = store->lastArrival();
                m_localEvents = last;
                if (seen >= 0 && last != seen) {
                    m_api->notifyChanged();
                    for (auto& link : m_links)
                        link->wake();
                }
                seen = last;
            } catch (const std::exception& e) {
                logger()->debug("watching the database: {}", e.what());
                store.reset();
            }
            std::this_thread::sleep_for(m_config.watchInterval);
        }
    }

    NodeSnapshot snapshot()
    {
        NodeSnapshot s;
        s.centre = m_centre;
        s.origin = m_origin;
        s.uuid = m_uuid;
        s.uptimeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        try {
            auto store = m_pool->acquire();
            s.events = store->lastArrival();
            s.heldEvents = static_cast<std::int64_t>(store->heldEvents().size());
        } catch (const std::exception& e) {
            s.databaseOk = false;
            s.databaseError = e.what();
            s.events = m_localEvents.load();
        }
        const auto couch = m_api->counters();
        s.docsReceived = couch.docsReceived;
        s.docsStored = couch.docsStored;
        s.docsRejected = couch.docsRejected;
        s.docsServed = couch.docsServed;
        s.longpollsWaiting = couch.longpollsWaiting;
        if (m_server) {
            const auto http = m_server->counters();
            s.requests = http.requests;
            s.unauthorized = http.unauthorized;
            s.tooLarge = http.tooLarge;
            s.connections = http.connections;
        }
        for (const auto& link : m_links)
            s.peers.push_back(link->status());
        return s;
    }

    std::optional<HttpResponse> localRoute(const HttpRequest& request)
    {
        if (request.path.rfind("/_ow/", 0) != 0)
            return std::nullopt;
        HttpResponse r;
        if (request.path != "/_ow/health" && request.path != "/_ow/metrics") {
            r.status = 404;
            r.body = "{\"error\":\"not_found\",\"reason\":\"missing\"}";
            return r;
        }
        if (request.method != "GET" && request.method != "HEAD") {
            r.status = 405;
            r.body = "{\"error\":\"method_not_allowed\",\"reason\":\"Only GET,HEAD allowed\"}";
            r.headers.emplace_back("Allow", "GET,HEAD");
            return r;
        }
        const NodeSnapshot s = snapshot();
        if (request.path == "/_ow/health") {
            r.body = healthJson(s);
            r.status = s.databaseOk ? 200 : 503;
        } else {
            r.body = metricsText(s);
            r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        }
        r.headers.emplace_back("Cache-Control", "no-store");
        if (request.method == "HEAD")
            r.body.clear();
        return r;
    }

    const DaemonConfig m_config;
    const std::chrono::steady_clock::time_point m_started;
    std::string m_centre;
    std::string m_origin;
    std::string m_uuid;
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<CouchApi> m_api;
    std::unique_ptr<HttpServer> m_server;
    std::vector<std::unique_ptr<PeerLink>> m_links;
    std::thread m_watcher;
    std::atomic<bool> m_stopping{false};
    std::atomic<std::int64_t> m_localEvents{0};
};

} // namespace

class OneWindowDaemon : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override
    {
        ServerApplication::defineOptions(options);
        using Poco::Util::Option;
        const auto add
            = [&](const char* name, const char* argument, const char* text, bool repeatable = false) {
                  Option o(name, "", text);
                  if (argument)
                      o.argument(argument);
                  o.repeatable(repeatable);
                  options.addOption(o);
              };
        add("help", nullptr, "Show this help and exit.");
        add("version", nullptr, "Show the version and exit.");
        add("config", "FILE",
            "The INI configuration file (docs/ONEWINDOWD.md). Without it, the options below "
            "are the whole configuration.");
        add("db", "CONNSTRING", "The database: sqlite3://db=/path/file.db or postgresql://host=… dbname=…");
        add("centre", "CODE", "The centre code (six digits) a new database is initialised with.");
        add("listen", "HOST:PORT", "Where to serve (default 127.0.0.1:5984; port 0 takes a free one).");
        add("peer", "URL", "Replicate with the onewindowd at URL (repeatable; added to the file's peers).",
            true);
        add("peer-user", "NAME", "Basic-auth user for the --peer URLs.");
        add("peer-password-file", "FILE", "File holding the password of --peer-user.");
        add("peer-ca", "FILE", "The centre CA (PEM) the --peer certificates must chain to (https).");
        add("account", "NAME:FILE",
            "An account allowed to call this node, its password in FILE (repeatable).", true);
        add("tls-certificate", "FILE", "Serve HTTPS with this certificate (PEM).");
        add("tls-key", "FILE", "The certificate's private key (PEM).");
        add("allow-plain-http", nullptr, "Allow plain HTTP on an address that is not loopback.");
        add("interval", "SECONDS", "Seconds between replication passes with each peer (default 5).");
        add("max-body-bytes", "BYTES", "Larger request bodies are refused with 413 (default 67108864).");
        add("log-level", "LEVEL", "trace, debug, info (default), warn, error, critical or off.");
        add("ready-file", "FILE", "Write the URL served to FILE once serving (removed at stop).");
    }

    void handleOption(const std::string& name, const std::string& value) override
    {
        ServerApplication::handleOption(name, value);
        auto& o = m_overrides;
        if (name == "help") {
            m_help = true;
            stopOptionsProcessing();
        } else if (name == "version") {
            m_version = true;
            stopOptionsProcessing();
        } else if (name == "config") {
            o.configFile = value;
        } else if (name == "db") {
            o.database = value;
        } else if (name == "centre") {
            o.centre = value;
        } else if (name == "listen") {
            o.listen = value;
        } else if (name == "peer") {
            o.peers.push_back(value);
        } else if (name == "peer-user") {
            o.peerUser = value;
        } else if (name == "peer-password-file") {
            o.peerPasswordFile = value;
        } else if (name == "peer-ca") {
            o.peerCaFile = value;
        } else if (name == "account") {
            o.accounts.push_back(value);
        } else if (name == "tls-certificate") {
            o.certificateFile = value;
        } else if (name == "tls-key") {
            o.privateKeyFile = value;
        } else if (name == "allow-plain-http") {
            o.allowPlainHttp = true;
        } else if (name == "interval") {
            o.interval = value;
        } else if (name == "max-body-bytes") {
            o.maxBodyBytes = value;
        } else if (name == "log-level") {
            o.logLevel = value;
        } else if (name == "ready-file") {
            o.readyFile = value;
        }
    }

    int main(const std::vector<std::string>& args) override
    {
        if (m_help) {
            Poco::Util::HelpFormatter help(options());
            help.setUnixStyle(true);
            help.setCommand("onewindowd");
            help.setUsage("[--config FILE] [--db CONNSTRING --listen HOST:PORT --centre CODE [--peer URL]…]");
            help.setHeader("The OneWindow centre node: serves the centre's events to peer centres (CouchDB "
                           "replication protocol) and replicates with them.");
            help.setFooter("Configuration keys: docs/ONEWINDOWD.md. Logs go to standard error.");
            help.format(std::cout);
            return EXIT_OK;
        }
        if (m_version) {
            std::cout << "onewindowd " << OW_VERSION << " (database schema " << db::currentSchemaVersion()
                      << ")\n";
            return EXIT_OK;
        }
        if (!args.empty()) {
            std::cerr << "onewindowd: unexpected argument '" << args.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        try {
            DaemonConfig config = buildConfig(m_overrides);
            configureLogging(config.logLevel);
            resolveSecrets(config);
            Node node(std::move(config));
            node.check();
            try {
                return node.run([this] { waitForTerminationRequest(); });
            } catch (const DomainError& e) {
                // Refused while starting: the database, the socket, the certificate.
                std::cerr << "onewindowd: " << explain(e) << "\n";
                return e.code().rfind("db.", 0) == 0 || e.code() == "sync.listen_failed" ? EXIT_UNAVAILABLE
                                                                                         : EXIT_CONFIG;
            }
        } catch (const DomainError& e) {
            std::cerr << "onewindowd: " << explain(e) << "\n";
            return EXIT_CONFIG;
        } catch (const std::exception& e) {
            std::cerr << "onewindowd: " << e.what() << "\n";
            return EXIT_SOFTWARE;
        }
    }

private:
    Overrides m_overrides;
    bool m_help = false;
    bool m_version = false;
};

} // namespace ow::sync::daemon

int main(int argc, char** argv)
{
    // Blocked before any thread exists, so every thread inherits it and SIGTERM/SIGINT
    // reach only waitForTerminationRequest()'s sigwait, never a worker's default action.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGQUIT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stops, nullptr);
    // A peer that hangs up while we write must be an error on that connection, not the
    // end of the process (OpenSSL writes without MSG_NOSIGNAL).
    std::signal(SIGPIPE, SIG_IGN);
    try {
        ow::sync::daemon::OneWindowDaemon app;
        return app.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "onewindowd: " << e.displayText() << "\n";
        return Poco::Util::Application::EXIT_SOFTWARE;
    }
}
