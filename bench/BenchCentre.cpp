// Builds a synthetic centre for the client benchmarks: N cases (bench/SyntheticCases.h)
// in an embedded database, all taken in by the window clerk clerk03 and so all on their
// work list (the worst case for the work list at start-up), and that clerk's account
// with a password read from a file. Prints the raw baselines the client is compared
// with: the store's own findCase of one case (median of 20).
// Usage: ow_bench_centre --cases N --db FILE --password-file FILE
#include "BenchSupport.h"
#include "SyntheticCases.h"
#include "db/PasswordHash.h"
#include "db/Store.h"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace ow;

int main(int argc, char* argv[])
{
    long long cases = 1'000'000;
    std::string file, passwordFile;
    bench::Args args(argc, argv);
    if (!args.read("ow_bench_centre", "usage: ow_bench_centre --cases N --db FILE --password-file FILE", [&] {
            if (args.is("--cases"))
                cases = args.number();
            else if (args.is("--db"))
                file = args.value();
            else if (args.is("--password-file"))
                passwordFile = args.value();
            else
                args.unknown();
        }))
        return 2;
    if (file.empty() || passwordFile.empty() || cases < 1) {
        std::cerr << "usage: ow_bench_centre --cases N --db FILE --password-file FILE\n";
        return 2;
    }
    std::string password;
    std::ifstream(passwordFile) >> password;
    try {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(file + suffix);
        auto store = db::Store::open("sqlite3://db=" + file);
        store->initialise("330102");
        store->putStaff({"clerk03", "王芳", {model::Role::WindowStaff}, "330102", true},
            db::hashPassword(password), "bench");
        bench::Stopwatch build;
        bench::appendSyntheticCases(*store, cases);
        std::printf("built %lld cases in %.1f s\n", cases, build.seconds());
        const std::string number = bench::caseNumberOf(cases / 2);
        std::vector<double> times;
        for (int i = 0; i < 20; ++i) {
            bench::Stopwatch t;
            if (!store->findCase(number))
                throw std::runtime_error("case " + number + " not found");
            times.push_back(t.millis());
        }
        std::printf("case %s\nfind_case_ms %.3f\n", number.c_str(), bench::percentile(times, 0.5));
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_centre: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
