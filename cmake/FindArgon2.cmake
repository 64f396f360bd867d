# Finds Debian's libargon2 (password hashing) and defines Argon2::Argon2.
find_package(PkgConfig REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
if(NOT TARGET Argon2::Argon2)
  add_library(Argon2::Argon2 ALIAS PkgConfig::ARGON2)
endif()
set(Argon2_FOUND TRUE)
