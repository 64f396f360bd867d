// Command-line parsing for owctl: the global options (--db, --replica, --json, --help, --version)
// may stand before or after the subcommand; each command declares its own options.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ow::owctl {

// The exit codes scripts rely on.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNothingToDo = 3;

// Wrong use of the command line: exit 2 with a usage line.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A command that could not be carried out: exit 1 with "owctl: <what>: <reason>".
class Failure : public std::runtime_error {
public:
    Failure(std::string what, std::string reason)
        : std::runtime_error(what + ": " + reason)
        , m_what(std::move(what))
        , m_reason(std::move(reason))
    {
    }
    const std::string& subject() const { return m_what; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_what;
    std::string m_reason;
};

// Nothing needed doing: exit 3 with a note on stderr and nothing on stdout.
class NothingToDo : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    std::string name; // "--centre"
    std::string valueName; // "CODE"; empty for a flag
    std::string help;
    bool repeatable = false;
};

struct CommandSpec {
    std::string name; // "init", "cases list"
    std::string arguments; // "FILE", "NAME"
    std::string summary; // one line
    std::string details; // further lines for --help, may be empty
    std::vector<OptionSpec> options;
    std::size_t minArgs = 0;
    std::size_t maxArgs = 0;

    std::string usageLine() const;
    std::string helpText() const;
};

struct GlobalOptions {
    std::string db; // empty: the default connection string
    std::string replica; // --replica: the workstation's local replica; empty: none
    bool json = false;
    bool help = false;
    bool version = false;
};

struct ParsedArgs {
    std::vector<std::string> positionals;
    std::map<std::string, std::vector<std::string>> options; // a flag holds one empty value

    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> values(const std::string& name) const;
};

// Takes --db, --replica, --json, --help/-h and --version out of the words wherever they stand and
// returns the others in order. Throws UsageError for --db or --replica without a
// value.
std::vector<std::string> extractGlobals(const std::vector<std::string>& words, GlobalOptions& globals);

// Parses what follows the command name. Throws UsageError.
ParsedArgs parseCommandLine(const CommandSpec& spec, const std::vector<std::string>& words);

// A whole number in [min, max] given to `option`, or UsageError.
long long parseCount(const std::string& option, const std::string& text, long long min, long long max);

} // namespace ow::owctl
