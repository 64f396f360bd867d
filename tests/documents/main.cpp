// Catch2 entry point of the document tests. Nothing runs before Catch has parsed its
// arguments (CTest lists the tests at build time). A test that needs a missing external
// tool says why and marks itself skipped; the run then exits with 77, which CTest's
// SKIP_RETURN_CODE reports as skipped (each test case runs as its own CTest test).
#define CATCH_CONFIG_RUNNER
#include "DocumentWorld.h"

#include <catch2/catch.hpp>

bool& ow::test::skippedFlag()
{
    static bool skipped = false;
    return skipped;
}

int main(int argc, char* argv[])
{
    const int result = Catch::Session().run(argc, argv);
    return result == 0 && ow::test::skippedFlag() ? 77 : result;
}
