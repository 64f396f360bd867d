// libFuzzer target: the request handling of onewindowd's CouchDB face (sync/couch/CouchApi)
// with arbitrary requests against a real SQLite node that holds a few events. The input is
// "METHOD TARGET\n[Content-Type: TYPE\n]\nBODY" (a seed per endpoint in tests/fuzz/corpus/couch).
// A crash, a sanitizer report, a 500 (an exception nobody expected) or a store that no
// longer verifies is a finding.
#include "model/Json.h"

#include "db/Store.h"
#include "sync/couch/CouchApi.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

struct Node {
    std::string file;
    std::unique_ptr<ow::sync::StorePool> pool;
    std::unique_ptr<ow::sync::CouchApi> api;
    std::unique_ptr<ow::db::Store> store;
    std::int64_t runs = 0;

    Node()
    {
        file = (std::filesystem::temp_directory_path()
            / ("ow-fuzz-couch-" + std::to_string(::getpid()) + ".db"))
                   .string();
        std::filesystem::remove(file);
        store = ow::db::Store::open("sqlite3://db=" + file);
        store->initialise("330102");
        std::vector<ow::model::NewEvent> notes;
        for (int i = 0; i < 5; ++i) {
            ow::model::Json body = ow::model::Json::object();
            body["text"] = "seed " + std::to_string(i);
            notes.push_back({"fuzz.seed", "", "clerk01", {}, body}); // a type this build does not know
        }
        store->append(notes);
        pool = std::make_unique<ow::sync::StorePool>("sqlite3://db=" + file, 2);
        ow::sync::CouchApi::Options options;
        options.maxLongpoll = std::chrono::milliseconds(5); // a longpoll must not stall the fuzzer
        options.maxBodyBytes = 1 << 20;
        api = std::make_unique<ow::sync::CouchApi>(*pool, options);
    }
    ~Node()
    {
        api.reset();
        pool.reset();
        store.reset();
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(file + suffix);
    }
};

Node& node()
{
    static Node n;
    return n;
}

ow::sync::HttpRequest parse(const std::string& input)
{
    ow::sync::HttpRequest r;
    const auto eol = input.find('\n');
    const std::string line = input.substr(0, eol);
    const auto space = line.find(' ');
    r.method = line.substr(0, space);
    r.setTarget(space == std::string::npos ? "/" : line.substr(space + 1));
    std::string rest = eol == std::string::npos ? std::string() : input.substr(eol + 1);
    static const std::string header = "Content-Type: ";
    if (rest.rfind(header, 0) == 0) {
        const auto end = rest.find('\n');
        r.contentType
            = rest.substr(header.size(), end == std::string::npos ? std::string::npos : end - header.size());
        rest = end == std::string::npos ? std::string() : rest.substr(end + 1);
    }
    if (!rest.empty() && rest[0] == '\n')
        rest.erase(0, 1);
    r.body = std::move(rest);
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Node& n = node();
    const auto request = parse(std::string(reinterpret_cast<const char*>(data), size));
    const auto response = n.api->handle(request);
    // A 5xx is an exception the handler did not expect: a bug, whatever the input.
    if (response.status < 200 || response.status > 499) {
        std::fprintf(stderr, "%s %s -> %d %s\n", request.method.c_str(), request.path.c_str(),
            response.status, response.body.c_str());
        std::abort();
    }
    // Now and then: nothing a request did may break the store's integrity.
    if (++n.runs % 4096 == 0) {
        const auto report = n.store->verify();
        if (!report.ok()) {
            for (const auto& p : report.problems)
                std::fprintf(
                    stderr, "verify: %s %s %s\n", p.kind.c_str(), p.subject.c_str(), p.detail.c_str());
            std::abort();
        }
    }
    return 0;
}
