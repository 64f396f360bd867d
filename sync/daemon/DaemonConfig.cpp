#include "sync/daemon/DaemonConfig.h"

#include "model/Error.h"

#include "sync/net/NetSupport.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/stat.h>

namespace ow::sync::daemon {

using model::DomainError;

std::shared_ptr<spdlog::logger> logger()
{
    static std::shared_ptr<spdlog::logger> log = [] {
        if (auto existing = spdlog::get("onewindowd"))
            return existing;
        auto l = spdlog::stderr_color_mt("onewindowd");
        l->set_level(spdlog::level::info);
        spdlog::cfg::load_env_levels();
        return l;
    }();
    return log;
}

namespace {

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& reason)
{
    model::Facts facts{{"key", key}, {"reason", reason}};
    if (!file.empty())
        facts["file"] = file;
    throw DomainError("daemon.config", facts);
}

// The keys each section may hold; [peer.NAME] and [account.NAME] are checked apart.
const std::map<std::string, std::set<std::string>>& knownKeys()
{
    static const std::map<std::string, std::set<std::string>> keys = {
        {"node", {"database", "centre", "pool_size", "log_level"}},
        {"server",
            {"listen", "certificate", "private_key", "allow_plain_http", "max_body_bytes", "threads",
                "longpoll_max", "ready_file"}},
        {"replication", {"interval", "max_backoff", "watch_interval", "timeout", "batch", "ca"}},
    };
    return keys;
}

bool parseBool(const std::string& text, bool& out)
{
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "on" || t == "1")
        out = true;
    else if (t == "false" || t == "no" || t == "off" || t == "0")
        out = false;
    else
        return false;
    return true;
}

bool parseCount(const std::string& text, std::size_t min, std::size_t max, std::size_t& out)
{
    std::size_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || value < min || value > max)
        return false;
    out = value;
    return true;
}

// Seconds, possibly with a fraction ("0.5"), between `min` and `max` seconds.
bool parseSeconds(const std::string& text, double min, double max, std::chrono::milliseconds& out)
{
    double value = 0;
    try {
        std::size_t used = 0;
        value = std::stod(text, &used);
        if (used != text.size())
            return false;
    } catch (const std::exception&) {
        return false;
    }
    if (!std::isfinite(value) || value < min || value > max)
        return false;
    out = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(value * 1000)));
    return true;
}

bool validCentre(const std::string& c)
{
    return c.size() == 6
        && std::all_of(c.begin(), c.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

std::string resolvePath(const std::filesystem::path& base, const std::string& value)
{
    if (value.empty())
        return value;
    std::filesystem::path p(value);
    return p.is_absolute() ? value : (base / p).lexically_normal().string();
}

bool validLogLevel(const std::string& level)
{
    for (const char* l : {"trace", "debug", "info", "warn", "error", "critical", "off"})
        if (level == l)
            return true;
    return false;
}

void setBodyLimit(const std::string& file, const std::string& value, DaemonConfig& c)
{
    if (!parseCount(value, 1024, std::size_t(1) << 34, c.maxBodyBytes))
        bad(file, "server.max_body_bytes", "must be a number of bytes from 1024 up, not '" + value + "'");
}

} // namespace

DaemonConfig loadConfig(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        bad(path, "", "cannot read the file");
    // Poco's INI reader knows ";" comments only; "#" lines are comments here too.
    std::stringstream filtered;
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos && line[first] == '#')
            continue;
        filtered << line << '\n';
    }
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        ini = new Poco::Util::IniFileConfiguration(filtered);
    } catch (const Poco::Exception& e) {
        bad(path, "", e.displayText());
    }
    const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
    DaemonConfig c;

    // getRawString: values are taken as written (no ${…} expansion of '$' in passwords
    // paths or connection strings).
    const auto get = [&](const std::string& key) { return ini->getRawString(key, ""); };
    const auto has = [&](const std::string& key) { return ini->hasProperty(key); };

    Poco::Util::AbstractConfiguration::Keys sections;
    ini->keys(sections);
    for (const auto& section : sections) {
        Poco::Util::AbstractConfiguration::Keys keys;
        ini->keys(section, keys);
        if (section == "peer" || section == "account") {
            for (const auto& name : keys) {
                Poco::Util::AbstractConfiguration::Keys fields;
                ini->keys(section + "." + name, fields);
                const std::set<std::string> allowed = section == "peer"
                    ? std::set<std::string>{"url", "database", "user", "password_file", "ca"}
                    : std::set<std::string>{"password_file"};
                if (fields.empty())
                    bad(path, section + "." + name, "use a section [" + section + "." + name + "]");
                for (const auto& f : fields)
                    if (!allowed.count(f))
                        bad(path, section + "." + name + "." + f, "unknown key");
            }
            continue;
        }
        auto known = knownKeys().find(section);
        if (known == knownKeys().end())
            bad(path, section, "unknown section");
        for (const auto& k : keys)
            if (!known->second.count(k))
                bad(path, section + "." + k, "unknown key");
    }

    c.database = get("node.database");
    c.centre = get("node.centre");
    if (has("node.pool_size") && !parseCount(get("node.pool_size"), 1, 64, c.poolSize))
        bad(path, "node.pool_size", "must be 1–64");
    if (has("node.log_level"))
        c.logLevel = get("node.log_level");

    if (has("server.listen"))
        c.listen = get("server.listen");
    c.certificateFile = resolvePath(base, get("server.certificate"));
    c.privateKeyFile = resolvePath(base, get("server.private_key"));
    if (has("server.allow_plain_http") && !parseBool(get("server.allow_plain_http"), c.allowPlainHttp))
        bad(path, "server.allow_plain_http", "must be true or false");
    if (has("server.max_body_bytes"))
        setBodyLimit(path, get("server.max_body_bytes"), c);
    std::size_t n = 0;
    if (has("server.threads")) {
        if (!parseCount(get("server.threads"), 2, 256, n))
            bad(path, "server.threads", "must be 2–256");
        c.threads = static_cast<int>(n);
    }
    std::chrono::milliseconds d{};
    if (has("server.longpoll_max")) {
        if (!parseSeconds(get("server.longpoll_max"), 1, 300, d))
            bad(path, "server.longpoll_max", "must be 1–300 seconds");
        c.maxLongpoll = std::chrono::duration_cast<std::chrono::seconds>(d);
    }
    c.readyFile = resolvePath(base, get("server.ready_file"));

    if (has("replication.interval") && !parseSeconds(get("replication.interval"), 0.05, 86400, c.interval))
        bad(path, "replication.interval", "must be 0.05–86400 seconds");
    if (has("replication.max_backoff")
        && !parseSeconds(get("replication.max_backoff"), 0.05, 86400, c.maxBackoff))
        bad(path, "replication.max_backoff", "must be 0.05–86400 seconds");
    if (has("replication.watch_interval")
        && !parseSeconds(get("replication.watch_interval"), 0.01, 60, c.watchInterval))
        bad(path, "replication.watch_interval", "must be 0.01–60 seconds");
    if (has("replication.timeout") && !parseSeconds(get("replication.timeout"), 1, 3600, c.peerTimeout))
        bad(path, "replication.timeout", "must be 1–3600 seconds");
    if (has("replication.batch") && !parseCount(get("replication.batch"), 1, 100000, c.batch))
        bad(path, "replication.batch", "must be 1–100000");
    c.defaultCaFile = resolvePath(base, get("replication.ca"));

    Poco::Util::AbstractConfiguration::Keys names;
    ini->keys("peer", names);
    for (const auto& name : names) {
        const std::string s = "peer." + name;
        PeerConfig p;
        p.name = name;
        p.url = get(s + ".url");
        if (p.url.empty())
            bad(path, s + ".url", "every peer needs a url");
        if (has(s + ".database"))
            p.database = get(s + ".database");
        p.user = get(s + ".user");
        p.passwordFile = resolvePath(base, get(s + ".password_file"));
        p.caFile = resolvePath(base, get(s + ".ca"));
        c.peers.push_back(std::move(p));
    }
    names.clear();
    ini->keys("account", names);
    for (const auto& name : names) {
        AccountConfig a;
        a.name = name;
        a.passwordFile = resolvePath(base, get("account." + name + ".password_file"));
        if (a.passwordFile.empty())
            bad(path, "account." + name + ".password_file", "every account needs a password file");
        c.accounts.push_back(std::move(a));
    }
    return c;
}

DaemonConfig buildConfig(const Overrides& o)
{
    DaemonConfig c = o.configFile.empty() ? DaemonConfig{} : loadConfig(o.configFile);
    const auto over = [](std::string& field, const std::string& value) {
        if (!value.empty())
            field = value;
    };
    over(c.database, o.database);
    over(c.centre, o.centre);
    over(c.listen, o.listen);
    over(c.logLevel, o.logLevel);
    over(c.certificateFile, o.certificateFile);
    over(c.privateKeyFile, o.privateKeyFile);
    over(c.readyFile, o.readyFile);
    if (o.allowPlainHttp)
        c.allowPlainHttp = true;
    if (!o.interval.empty() && !parseSeconds(o.interval, 0.05, 86400, c.interval))
        bad("", "--interval", "must be 0.05–86400 seconds");
    if (!o.maxBodyBytes.empty())
        setBodyLimit("", o.maxBodyBytes, c);
    int counter = 0;
    for (const auto& url : o.peers) {
        PeerConfig p;
        p.name = "peer" + std::to_string(++counter);
        p.url = url;
        p.user = o.peerUser;
        p.passwordFile = o.peerPasswordFile;
        p.caFile = o.peerCaFile;
        c.peers.push_back(std::move(p));
    }
    for (const auto& spec : o.accounts) {
        const auto colon = spec.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
            bad("", "--account", "give NAME:PASSWORD_FILE, not '" + spec + "'");
        c.accounts.push_back({spec.substr(0, colon), spec.substr(colon + 1), {}});
    }

    // The whole, checked once.
    if (c.database.empty())
        bad(o.configFile, "node.database", "no database: give --db CONNSTRING or [node] database");
    if (!c.centre.empty() && !validCentre(c.centre))
        bad(o.configFile, "node.centre", "a centre code is six digits, not '" + c.centre + "'");
    if (!validLogLevel(c.logLevel))
        bad(o.configFile, "node.log_level",
            "must be one of trace, debug, info, warn, error, critical, off; not '" + c.logLevel + "'");
    if (!c.privateKeyFile.empty() && c.certificateFile.empty())
        bad(o.configFile, "server.certificate", "a private key without its certificate");
    if (c.maxBackoff < c.interval)
        c.maxBackoff = c.interval;
    std::set<std::string> seen;
    for (auto& p : c.peers) {
        if (!seen.insert(p.url).second)
            bad(o.configFile, "peer." + p.name + ".url", "the peer " + redactUrl(p.url) + " is listed twice");
        if (p.caFile.empty())
            p.caFile = c.defaultCaFile;
        if (!p.user.empty() && p.passwordFile.empty())
            bad(o.configFile, "peer." + p.name + ".password_file", "a user without a password file");
        if (p.user.empty() && !p.passwordFile.empty())
            bad(o.configFile, "peer." + p.name + ".user", "a password file without a user");
    }
    seen.clear();
    for (const auto& a : c.accounts) {
        if (!seen.insert(a.name).second)
            bad(o.configFile, "account." + a.name, "the account is listed twice");
        if (a.name.find(':') != std::string::npos)
            bad(o.configFile, "account." + a.name,
                "an account name cannot hold ':' (basic auth splits there)");
    }
    return c;
}

namespace {

std::string readSecret(const std::string& file, const std::string& what)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        bad(file, what, "cannot read the password file");
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
        secret.pop_back();
    if (secret.empty())
        bad(file, what, "the password file is empty");
    struct stat st { };
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)))
        logger()->warn("{} ({}) can be read by others than its owner; chmod 600 it", file, what);
    return secret;
}

} // namespace

void resolveSecrets(DaemonConfig& config)
{
    for (auto& p : config.peers)
        if (!p.passwordFile.empty())
            p.password = readSecret(p.passwordFile, "peer." + p.name + ".password_file");
    for (auto& a : config.accounts)
        a.password = readSecret(a.passwordFile, "account." + a.name + ".password_file");
}

} // namespace ow::sync::daemon
