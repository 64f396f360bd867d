// onewindowd's configuration: an INI file (docs/ONEWINDOWD.md describes every key) with
// command-line overrides, checked as a whole before anything is opened, so that a node
// that would serve plain HTTP or open access where it must not never starts.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace ow::sync::daemon {

// The daemon's logger ("onewindowd"), on stderr like the others.
std::shared_ptr<spdlog::logger> logger();

struct PeerConfig {
    std::string name; // the [peer.NAME] section, or peer1… for --peer
    std::string url; // "https://host:6984"
    std::string database = "onewindow";
    std::string user; // basic auth towards the peer; empty: none
    std::string passwordFile;
    std::string caFile; // the centre CA the peer's certificate must chain to (https)
    std::string password; // read from passwordFile by resolveSecrets()
};

struct AccountConfig {
    std::string name; // the [account.NAME] section
    std::string passwordFile;
    std::string password; // read by resolveSecrets()
};

struct DaemonConfig {
    // [node]
    std::string database; // SOCI connection string (required)
    std::string centre; // six digits; needed when the database is not initialised yet
    std::size_t poolSize = 4; // database connections for requests
    std::string logLevel = "info";
    // [server]
    std::string listen = "127.0.0.1:5984";
    std::string certificateFile;
    std::string privateKeyFile;
    bool allowPlainHttp = false;
    std::size_t maxBodyBytes = 64u << 20;
    int threads = 16;
    std::chrono::seconds maxLongpoll{30};
    std::string readyFile; // written with the URL once serving (tests, supervisors)
    // [replication]
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds maxBackoff{60000};
    std::chrono::milliseconds watchInterval{250};
    std::chrono::milliseconds peerTimeout{60000};
    // Events per pass batch. A batch refolds each case it touches from all of that case's
    // events, so a replication catching up folds a case once per batch it appears in: 10,000
    // pulled 100,000 events with about 2.3× less CPU than 1,000 (bench/BenchCentreSync.cpp),
    // at some 13 MB a request and a peak of about 160 MB resident over 1,000,000 events.
    std::size_t batch = 10000;
    std::string defaultCaFile; // [replication] ca: for peers without their own
    std::vector<PeerConfig> peers;
    std::vector<AccountConfig> accounts;
};

// What the command line says; empty or unset fields leave the file's values alone. Peers
// and accounts given here are added to the file's.
struct Overrides {
    std::string configFile;
    std::string database;
    std::string centre;
    std::string listen;
    std::string logLevel;
    std::string certificateFile;
    std::string privateKeyFile;
    std::string readyFile;
    bool allowPlainHttp = false;
    std::string interval; // seconds, as in the file
    std::string maxBodyBytes;
    std::vector<std::string> peers; // URLs
    std::string peerUser;
    std::string peerPasswordFile;
    std::string peerCaFile;
    std::vector<std::string> accounts; // "NAME:PASSWORD_FILE"
};

// Reads the INI file. Throws DomainError "daemon.config" (file, key, reason) for an
// unreadable file, an unknown section or key (a misspelt key must not go unnoticed) or a
// value of the wrong form. Relative file names are taken from the file's folder.
DaemonConfig loadConfig(const std::string& path);

// The file (when given) with the command line applied on top, then checked: throws
// "daemon.config" (key, reason) for what is missing or contradictory.
DaemonConfig buildConfig(const Overrides& overrides);

// Reads every password file (trailing newline dropped). Throws "daemon.config" (file,
// reason); warns when a file is readable by others than its owner.
void resolveSecrets(DaemonConfig& config);

} // namespace ow::sync::daemon
