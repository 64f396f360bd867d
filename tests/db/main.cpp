// The db conformance suite's entry point: one binary, run once per backend by CTest.
// A backend that cannot run here exits with 77 (CTest's SKIP_RETURN_CODE) and says why;
// so does a run in which a test skipped itself (skippedFlag) and none failed.
#define CATCH_CONFIG_RUNNER
#include "DbTestSupport.h"

#include <catch2/catch.hpp>
#include <iostream>

bool& ow::test::skippedFlag()
{
    static bool skipped = false;
    return skipped;
}

int main(int argc, char* argv[])
{
    Catch::Session session;
    if (int rc = session.applyCommandLine(argc, argv); rc != 0)
        return rc;
    if (session.configData().listTests || session.configData().listTestNamesOnly)
        return session.run();
    if (auto reason = ow::test::unavailableReason(); !reason.empty()) {
        std::cout << "SKIPPED (" << ow::test::backendName() << "): " << reason << "\n";
        return 77;
    }
    std::cout << argv[0] << ": suite on " << ow::test::backendName() << "\n";
    int failed = session.run();
    ow::test::removeTestFolder();
    return failed == 0 && ow::test::skippedFlag() ? 77 : failed;
}
