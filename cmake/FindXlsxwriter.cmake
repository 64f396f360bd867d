# Finds Debian's libxlsxwriter (libxlsxwriter-dev: the KPI reports as .xlsx workbooks)
# and defines Xlsxwriter::Xlsxwriter.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
if(NOT TARGET Xlsxwriter::Xlsxwriter)
  add_library(Xlsxwriter::Xlsxwriter ALIAS PkgConfig::XLSXWRITER)
endif()
set(Xlsxwriter_FOUND TRUE)
