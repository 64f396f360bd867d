// Catch2 entry point shared by the model tests. Nothing here may start a GUI or open a
// connection: CTest runs the binary with --list-test-names-only during discovery.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

int main(int argc, char* argv[])
{
    return Catch::Session().run(argc, argv);
}
