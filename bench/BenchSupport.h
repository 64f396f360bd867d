// Shared by the benchmarks: their command-line options, a monotonic stopwatch, medians
// and percentiles, and one result line per figure: name, figure, unit, target, raw
// baseline, ratio, pass/fail.
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace ow::bench {

// A benchmark's options one at a time: `--name value` and `--flag`. A missing value, a
// number that is not one, or an option no branch took throws std::invalid_argument
// naming the option.
class Args {
public:
    Args(int argc, char** argv)
        : m_argc(argc)
        , m_argv(argv)
    {
    }
    // Moves to the next option; false after the last.
    bool next()
    {
        if (m_at + 1 >= m_argc)
            return false;
        m_name = m_argv[++m_at];
        return true;
    }
    bool is(const char* name) const { return m_name == name; }
    std::string value()
    {
        if (m_at + 1 >= m_argc)
            throw std::invalid_argument(m_name + " needs a value");
        return m_argv[++m_at];
    }
    // A whole number of type T (range-checked).
    template<class T = long long> T number()
    {
        const std::string v = value();
        T n{};
        const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (error == std::errc::result_out_of_range)
            throw std::invalid_argument(m_name + " is out of range: " + v);
        if (v.empty() || error != std::errc() || end != v.data() + v.size())
            throw std::invalid_argument(m_name + " needs a whole number, not \"" + v + "\"");
        return n;
    }
    [[noreturn]] void unknown() const { throw std::invalid_argument("unknown option " + m_name); }

    // Calls `option` at each option (it takes its value, or calls unknown()), then `check`,
    // which throws std::invalid_argument naming what is wrong with the options together; on
    // the first fault prints "program: what" and `usage` to stderr and returns false.
    template<class F, class C = void (*)()>
    bool read(
        const char* program, const char* usage, F option, C check = [] {})
    {
        try {
            while (next())
                option();
            check();
            return true;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n%s\n", program, e.what(), usage);
            return false;
        }
    }

private:
    int m_argc;
    char** m_argv;
    int m_at = 0;
    std::string m_name;
};

class Stopwatch {
public:
    Stopwatch()
        : m_start(std::chrono::steady_clock::now())
    {
    }
    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }
    double millis() const { return seconds() * 1000.0; }

private:
    std::chrono::steady_clock::time_point m_start;
};

inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(idx, v.size() - 1)];
}

// A target of 0 marks a figure shown for information only.
// `higherIsBetter`: throughput (ratio = figure / baseline, pass when ratio >= target);
// otherwise a latency (pass when figure <= target; ratio = baseline / figure).
struct Result {
    std::string name;
    double figure = 0;
    std::string unit;
    double target = 0;
    double baseline = 0;
    bool higherIsBetter = true;
    bool targetIsRatio = true;

    double ratio() const
    {
        if (baseline <= 0 || figure <= 0)
            return 0;
        return higherIsBetter ? figure / baseline : baseline / figure;
    }
    bool pass() const
    {
        if (targetIsRatio)
            return ratio() >= target;
        return higherIsBetter ? figure >= target : figure <= target;
    }
};

inline void print(const Result& r)
{
    std::printf("BENCH %-52s %12.2f %-7s target %s%-8.2f baseline %12.2f ratio %6.3f %s\n", r.name.c_str(),
        r.figure, r.unit.c_str(), r.targetIsRatio ? "ratio>=" : (r.higherIsBetter ? ">=" : "<="), r.target,
        r.baseline, r.ratio(), r.target <= 0 ? "info" : (r.pass() ? "PASS" : "FAIL"));
    std::fflush(stdout);
}

} // namespace ow::bench
