# Project-wide compiler settings, applied per target through ow_set_compile_options().
# Third-party headers come in through imported targets, which CMake marks SYSTEM,
# so their warnings never fail our build.

function(ow_set_compile_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough)
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s string concatenation where
  # there is no overlap (GCC bug 105329); the optimised release build only.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_BUILD_TYPE STREQUAL "Release")
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(OW_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(OW_SANITIZE)
  # vptr checks need the typeinfo of every polymorphic class they meet, and Debian's SOCI
  # does not export it for its internal statement classes.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
