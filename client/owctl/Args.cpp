#include "Args.h"

#include <algorithm>
#include <charconv>

namespace ow::owctl {

std::string CommandSpec::usageLine() const
{
    std::string line = "usage: owctl " + name;
    for (const auto& o : options) {
        std::string one = o.name + (o.valueName.empty() ? "" : " " + o.valueName);
        bool required = o.help.starts_with("(required)");
        line += required ? " " + one : " [" + one + "]";
    }
    if (!arguments.empty())
        line += " " + arguments;
    return line;
}

std::string CommandSpec::helpText() const
{
    std::string text = usageLine() + "\n\n" + summary + "\n";
    if (!details.empty())
        text += "\n" + details + "\n";
    if (!options.empty()) {
        text += "\noptions:\n";
        for (const auto& o : options) {
            std::string left = "  " + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
            if (left.size() < 26)
                left.resize(26, ' ');
            else
                left += "  ";
            text += left + o.help + "\n";
        }
    }
    text += "\nglobal options (before or after the command):\n"
            "  --db CONNSTRING         sqlite3://db=FILE or postgresql://host=… dbname=… user=…\n"
            "  --replica CONNSTRING    the workstation's local replica (intake, sync, status)\n"
            "  --json                  machine-readable output on stdout\n"
            "  --help                  this text\n";
    return text;
}

std::string ParsedArgs::value(const std::string& name, const std::string& fallback) const
{
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const
{
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> extractGlobals(const std::vector<std::string>& words, GlobalOptions& globals)
{
    std::vector<std::string> rest;
    bool literal = false; // after "--" every word is an argument
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (literal) {
            rest.push_back(w);
            continue;
        }
        if (w == "--") {
            literal = true;
            rest.push_back(w);
        } else if (w == "--json") {
            globals.json = true;
        } else if (w == "--help" || w == "-h") {
            globals.help = true;
        } else if (w == "--version") {
            globals.version = true;
        } else if (w == "--db") {
            if (i + 1 >= words.size() || words[i + 1].empty())
                throw UsageError("--db needs a connection string");
            globals.db = words[++i];
        } else if (w.starts_with("--db=")) {
            globals.db = w.substr(5);
            if (globals.db.empty())
                throw UsageError("--db needs a connection string");
        } else if (w == "--replica") {
            if (i + 1 >= words.size() || words[i + 1].empty())
                throw UsageError("--replica needs a connection string");
            globals.replica = words[++i];
        } else if (w.starts_with("--replica=")) {
            globals.replica = w.substr(10);
            if (globals.replica.empty())
                throw UsageError("--replica needs a connection string");
        } else {
            rest.push_back(w);
        }
    }
    return rest;
}

ParsedArgs parseCommandLine(const CommandSpec& spec, const std::vector<std::string>& words)
{
    ParsedArgs parsed;
    bool literal = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (literal || w == "-" || !w.starts_with("-")) {
            parsed.positionals.push_back(w);
            continue;
        }
        if (w == "--") {
            literal = true;
            continue;
        }
        std::string name = w;
        std::string inlineValue;
        bool hasInline = false;
        if (auto eq = w.find('='); eq != std::string::npos && w.starts_with("--")) {
            name = w.substr(0, eq);
            inlineValue = w.substr(eq + 1);
            hasInline = true;
        }
        auto found = std::find_if(
            spec.options.begin(), spec.options.end(), [&](const OptionSpec& o) { return o.name == name; });
        if (found == spec.options.end())
            throw UsageError("unknown option '" + name + "' for '" + spec.name + "'");
        if (!found->repeatable && parsed.has(name))
            throw UsageError(name + " given twice");
        if (found->valueName.empty()) {
            if (hasInline)
                throw UsageError(name + " takes no value");
            parsed.options[name].push_back("");
            continue;
        }
        if (!hasInline) {
            if (i + 1 >= words.size())
                throw UsageError(name + " needs a value (" + found->valueName + ")");
            inlineValue = words[++i];
        }
        parsed.options[name].push_back(inlineValue);
    }
    for (const auto& o : spec.options)
        if (o.help.starts_with("(required)") && !parsed.has(o.name))
            throw UsageError(o.name + " " + o.valueName + " is required");
    if (parsed.positionals.size() < spec.minArgs)
        throw UsageError(
            "'" + spec.name + "' needs " + (spec.arguments.empty() ? "an argument" : spec.arguments));
    if (parsed.positionals.size() > spec.maxArgs)
        throw UsageError("unexpected argument '" + parsed.positionals[spec.maxArgs] + "'");
    return parsed;
}

long long parseCount(const std::string& option, const std::string& text, long long min, long long max)
{
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v < min || v > max)
        throw UsageError(option + " expects a whole number from " + std::to_string(min) + " to "
            + std::to_string(max) + ", got '" + text + "'");
    return v;
}

} // namespace ow::owctl
