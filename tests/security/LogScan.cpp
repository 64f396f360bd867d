// ow_log_scan: after a full test run, no log may hold a full identity number or a
// password. Scans files and folders (recursively) line by line for
//   - an 18-character run of digits (the last may be X) standing alone that the model's
//     own identity check accepts (GB 11643 check digit, real date of birth): resident IDs
//     and the residence permits of Hong Kong, Macao, Taiwan and foreign residents;
//   - the test passwords listed in a secrets file (one per line, '#' comments);
//   - password shapes no log may show: Argon2 hashes, the demo accounts' generated
//     passwords, the random peer password of the centre-to-centre tests.
// Each finding is printed as FILE:LINE with the number masked and the password named by
// its line in the secrets file, never in clear, so that this tool's own output is clean.
// Exit status: 0 clean, 1 findings, 2 usage or unreadable input.
//
//   ow_log_scan [--secrets FILE] PATH...
//   ow_log_scan --selftest      plants every kind of finding (and near misses) and checks
//                               that exactly the planted ones are found
#include "model/Identity.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace ow::model;

namespace {

struct Finding {
    std::string file;
    std::size_t line = 0;
    std::string what;
};

struct Secret {
    std::string text;
    std::size_t line = 0; // in the secrets file
};

bool isAlnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Full identity numbers in one line, masked for the report.
std::vector<std::string> identityNumbers(const std::string& line)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i + 18 <= line.size(); ++i) {
        if (!isDigit(line[i]) || (i > 0 && isAlnum(line[i - 1])))
            continue;
        std::size_t j = i;
        while (j < line.size() && j - i < 17 && isDigit(line[j]))
            ++j;
        if (j - i != 17 || j >= line.size())
            continue;
        const char last = line[j];
        if (!(isDigit(last) || last == 'X' || last == 'x'))
            continue;
        if (j + 1 < line.size() && isAlnum(line[j + 1]))
            continue;
        const std::string candidate = line.substr(i, 18);
        const auto kind = guessIdKind(candidate);
        if (kind && isPersonalIdKind(*kind) && checkId(*kind, candidate).ok)
            out.push_back(maskId(candidate));
        i = j;
    }
    return out;
}

// Password shapes: an Argon2 PHC string, a demo account's generated password
// (model/DemoSeeder: the account id, '-', six characters of its alphabet), the random
// password test_onewindowd.sh gives its peers.
const std::vector<std::pair<std::regex, std::string>>& shapes()
{
    static const std::vector<std::pair<std::regex, std::string>> list = {
        {std::regex(R"(\$argon2(id|i|d)\$)"), "an Argon2 password hash"},
        {std::regex(
             R"((^|[^A-Za-z0-9])(clerk|reviewer|manager|admin)[0-9]*-[a-hjkmnp-z2-9]{6}($|[^A-Za-z0-9]))"),
            "a demo account's generated password"},
        {std::regex(R"(a-secret-[0-9]+)"), "a peer password of the centre-to-centre tests"},
    };
    return list;
}

void scanText(const std::string& name, std::istream& in, const std::vector<Secret>& secrets,
    const std::string& secretsFile, std::vector<Finding>& out, std::size_t& lines)
{
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        ++lines;
        for (const auto& masked : identityNumbers(line))
            out.push_back({name, number, "a full identity number (" + masked + ")"});
        for (const auto& s : secrets)
            if (line.find(s.text) != std::string::npos)
                out.push_back({name, number,
                    "the test password of " + secretsFile + " line " + std::to_string(s.line)});
        // The regexes only where their fixed parts occur: logs can be long.
        const bool maybe = line.find("$argon2") != std::string::npos
            || line.find("a-secret-") != std::string::npos || line.find('-') != std::string::npos;
        if (!maybe)
            continue;
        for (const auto& [re, label] : shapes())
            if (std::regex_search(line, re))
                out.push_back({name, number, label});
    }
}

std::vector<Secret> readSecrets(const std::string& path)
{
    std::vector<Secret> out;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the secrets file " + path);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line.front() == '#')
            continue;
        out.push_back({line, n});
    }
    return out;
}

struct Totals {
    std::size_t files = 0;
    std::size_t lines = 0;
};

std::vector<Finding> scanPaths(const std::vector<std::string>& paths, const std::vector<Secret>& secrets,
    const std::string& secretsFile, Totals& totals)
{
    std::vector<Finding> out;
    auto scanFile = [&](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        if (!in)
            throw std::runtime_error("cannot read " + p.string());
        ++totals.files;
        scanText(p.string(), in, secrets, secretsFile, out, totals.lines);
    };
    for (const auto& path : paths) {
        const fs::path p(path);
        if (fs::is_directory(p)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::recursive_directory_iterator(p))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files)
                scanFile(f);
        } else if (fs::is_regular_file(p)) {
            scanFile(p);
        } else {
            throw std::runtime_error("no such file or folder: " + path);
        }
    }
    return out;
}

std::string residentId(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}

// Plants each kind of finding, and the near misses that must stay quiet, in files of a
// scratch folder, and checks the scan finds exactly the planted ones.
int selftest()
{
    const fs::path dir = fs::temp_directory_path() / ("ow-log-scan-selftest-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string id = residentId("11010519491231002");
    const std::string hk = residentId("81000019800101001");
    std::string wrongDigit = id;
    wrongDigit.back() = wrongDigit.back() == '0' ? '1' : '0';
    const std::string badDate = residentId("11010519491331002"); // month 13
    {
        std::ofstream log(dir / "a.log");
        log << "2026-03-02 12:00:00 [db] [info] opened case for 王芳 " << maskId(id)
            << "\n" // 1 masked: clean
            << "applicant id=" << id << " accepted\n" // 2 finding
            << "arrival 1" << id << "\n" // 3 part of a longer run: clean
            << "hash " << id << "ab12\n" // 4 part of a word: clean
            << "check digit off: " << wrongDigit << "\n" // 5 clean
            << "no such day: " << badDate << "\n" // 6 clean
            << "permit:" << hk << ";\n" // 7 finding
            << "hlc 1811234567890123 and 123456789012345678901\n" // 8 clean
            << "stored $argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA\n" // 9 finding
            << "login clerk07-ab3xyz accepted\n" // 10 finding
            << "peer a-secret-1234567 refused\n" // 11 finding
            << "the tests-sqlite build, window-system ok\n"; // 12 clean
    }
    fs::create_directories(dir / "sub");
    {
        std::ofstream log(dir / "sub" / "b.log");
        log << "nothing here\n"
            << "password was correct horse planted\n"; // 2 finding (secret line 2)
    }
    const fs::path secretsPath = dir.string() + "-secrets.txt";
    {
        std::ofstream secrets(secretsPath);
        secrets << "# planted\ncorrect horse planted\n";
    }
    Totals totals;
    const auto found = scanPaths({dir.string()}, readSecrets(secretsPath.string()), "secrets.txt", totals);
    fs::remove(secretsPath);
    std::set<std::pair<std::string, std::size_t>> got;
    for (const auto& f : found)
        got.insert({fs::path(f.file).filename().string(), f.line});
    const std::set<std::pair<std::string, std::size_t>> expected
        = {{"a.log", 2}, {"a.log", 7}, {"a.log", 9}, {"a.log", 10}, {"a.log", 11}, {"b.log", 2}};
    // The report itself must not repeat what it found.
    bool clean = true;
    for (const auto& f : found)
        clean = clean && f.what.find(id) == std::string::npos
            && f.what.find("correct horse") == std::string::npos;
    fs::remove_all(dir);
    if (got != expected || found.size() != expected.size() || !clean || totals.files != 2) {
        std::cerr << "ow_log_scan selftest: expected findings at a.log:2,7,9,10,11 and b.log:2; got";
        for (const auto& f : found)
            std::cerr << " " << fs::path(f.file).filename().string() << ":" << f.line << " (" << f.what
                      << ")";
        std::cerr << (clean ? "" : "; a finding repeated the secret") << "\n";
        return 1;
    }
    std::cout << "ow_log_scan selftest: " << found.size()
              << " planted findings found, no near miss reported\n";
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && args[0] == "--selftest")
        return selftest();
    std::string secretsFile;
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--secrets" && i + 1 < args.size())
            secretsFile = args[++i];
        else if (!args[i].empty() && args[i][0] == '-') {
            std::cerr << "usage: ow_log_scan [--secrets FILE] PATH... | --selftest\n";
            return 2;
        } else
            paths.push_back(args[i]);
    }
    if (paths.empty()) {
        std::cerr << "usage: ow_log_scan [--secrets FILE] PATH... | --selftest\n";
        return 2;
    }
    try {
        const auto secrets = secretsFile.empty() ? std::vector<Secret>{} : readSecrets(secretsFile);
        Totals totals;
        const auto found = scanPaths(paths, secrets, secretsFile, totals);
        for (const auto& f : found)
            std::cout << f.file << ":" << f.line << ": " << f.what << "\n";
        std::cout << "ow_log_scan: " << totals.files << " files, " << totals.lines << " lines: "
                  << (found.empty() ? "no full identity number or password"
                                    : std::to_string(found.size()) + " findings")
                  << "\n";
        return found.empty() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "ow_log_scan: " << e.what() << "\n";
        return 2;
    }
}
