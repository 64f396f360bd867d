# The packages: what `cmake --install` puts where, and (OW_PACKAGING=ON, as `./ow package`
# configures build/package) the files only packages need — man pages made from the
# programs' --help, icons rendered from installer/icons/onewindow.svg, the Debian changelog
# and copyright, the default onewindowd.ini derived from installer/onewindowd.ini — CPack's
# DEB packages and the Windows installer template. docs/PACKAGING.md explains the choices.
#
# One component per package, the same on Linux and Windows:
#   client -> onewindow   (the desktop client, its catalogs, desktop entry, metainfo, icons)
#   daemon -> onewindowd  (the centre node, its systemd unit and default configuration)
#   owctl  -> owctl       (the administrator's command-line tool)
# Included from the root CMakeLists.txt once every target exists.
include(GNUInstallDirs)

option(OW_PACKAGING "Make the packages' generated files and configure CPack (./ow package)" OFF)
set(OW_PACKAGE_MAINTAINER "OneWindow maintainers <maintainers@users.noreply.r-seed-6d287ea6.example>"
  CACHE STRING "Maintainer of the packages")
set(OW_PACKAGE_VENDOR "OneWindow maintainers" CACHE STRING "Who makes OneWindow")
# A reverse-DNS name of a domain the project controls belongs here; it has none yet, so the
# placeholder lives under the documentation domain example.org (docs/PACKAGING.md).
set(OW_APPSTREAM_ID "org.example.onewindow" CACHE STRING "AppStream component ID of the client")
set(OW_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the systemd unit goes (Debian 12)")

set(OW_INSTALLER_DIR ${PROJECT_SOURCE_DIR}/installer)
set(OW_PACKAGE_COMPONENTS client daemon owctl)
# Program, its folder and package of each component, used by the install rules, CPack and
# the Windows template alike. onewindowd is a system daemon: sbin, man section 8.
set(OW_COMPONENT_client_TARGET onewindow)
set(OW_COMPONENT_client_DIR ${CMAKE_INSTALL_BINDIR})
set(OW_COMPONENT_client_PACKAGE onewindow)
set(OW_COMPONENT_daemon_TARGET onewindowd)
set(OW_COMPONENT_daemon_DIR ${CMAKE_INSTALL_SBINDIR})
set(OW_COMPONENT_daemon_PACKAGE onewindowd)
set(OW_COMPONENT_owctl_TARGET owctl)
set(OW_COMPONENT_owctl_DIR ${CMAKE_INSTALL_BINDIR})
set(OW_COMPONENT_owctl_PACKAGE owctl)

# The programs (the catalogs are installed by i18n/CMakeLists.txt, component client).
foreach(component IN LISTS OW_PACKAGE_COMPONENTS)
  install(TARGETS ${OW_COMPONENT_${component}_TARGET}
    RUNTIME DESTINATION ${OW_COMPONENT_${component}_DIR} COMPONENT ${component})
endforeach()

if(NOT OW_PACKAGING)
  return()
endif()

# Stripped as dh_strip does it: CPack's strip leaves the compiler's .comment section (and
# .note), which a package has no use for.
if(CMAKE_OBJCOPY AND NOT WIN32)
  foreach(component IN LISTS OW_PACKAGE_COMPONENTS)
    set(program "${OW_COMPONENT_${component}_DIR}/${OW_COMPONENT_${component}_TARGET}")
    install(CODE "
      if(CMAKE_INSTALL_DO_STRIP)
        execute_process(COMMAND \"${CMAKE_OBJCOPY}\" --remove-section=.comment --remove-section=.note
          \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${program}\" COMMAND_ERROR_IS_FATAL ANY)
      endif()" COMPONENT ${component})
  endforeach()
endif()

# --- The release: version and date come from the newest entry of the Debian changelog -----
file(STRINGS ${OW_INSTALLER_DIR}/debian/changelog ow_changelog)
list(GET ow_changelog 0 ow_changelog_head)
if(NOT ow_changelog_head MATCHES "^onewindow \\(([^)]+)\\) ")
  message(FATAL_ERROR "installer/debian/changelog: cannot read the version of its first line")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "installer/debian/changelog is at ${CMAKE_MATCH_1} but the project is at "
    "${PROJECT_VERSION}: add a changelog entry for ${PROJECT_VERSION}")
endif()
set(ow_trailer "")
foreach(ow_line IN LISTS ow_changelog)
  if(ow_line MATCHES "^ -- .*  [A-Z][a-z][a-z], ([0-9]+) ([A-Z][a-z][a-z]) ([0-9][0-9][0-9][0-9]) ")
    set(ow_trailer "${CMAKE_MATCH_3};${CMAKE_MATCH_2};${CMAKE_MATCH_1}")
    break()
  endif()
endforeach()
if(NOT ow_trailer)
  message(FATAL_ERROR "installer/debian/changelog: no trailer line with a date")
endif()
list(GET ow_trailer 0 ow_year)
list(GET ow_trailer 1 ow_month_name)
list(GET ow_trailer 2 ow_day)
set(ow_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND ow_months ${ow_month_name} ow_month)
math(EXPR ow_month "${ow_month} + 1" OUTPUT_FORMAT DECIMAL)
string(LENGTH "${ow_day}" ow_day_length)
if(ow_day_length EQUAL 1)
  set(ow_day "0${ow_day}")
endif()
if(ow_month LESS 10)
  set(ow_month "0${ow_month}")
endif()
set(OW_RELEASE_DATE "${ow_year}-${ow_month}-${ow_day}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${OW_INSTALLER_DIR}/debian/changelog)

set(OW_PACKAGE_BUILD_DIR ${PROJECT_BINARY_DIR}/installer)
file(MAKE_DIRECTORY ${OW_PACKAGE_BUILD_DIR})

# --- Generated at build time: default configuration, icons, man pages, changelog -----------
find_program(OW_RSVG_CONVERT rsvg-convert REQUIRED)
find_program(OW_GZIP gzip REQUIRED)
find_program(OW_XVFB_RUN xvfb-run REQUIRED) # the client's --help needs a display
find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(OW_IMAGEMAGICK_CONVERT convert) # only the Windows icon needs it
set(ow_generated)

# The default onewindowd.ini, derived from the example of a centre in production so that
# the two cannot drift apart (installer/derive_onewindowd_ini.py says how): one for the
# Debian package, one with the Windows data folder for the Windows installer.
foreach(variant IN ITEMS "onewindowd.ini|/var/lib/onewindow" "onewindowd-windows.ini|C:/ProgramData/OneWindow")
  string(REPLACE "|" ";" variant "${variant}")
  list(POP_FRONT variant name data_dir)
  add_custom_command(OUTPUT ${OW_PACKAGE_BUILD_DIR}/${name}
    COMMAND ${Python3_EXECUTABLE} ${OW_INSTALLER_DIR}/derive_onewindowd_ini.py
      ${OW_INSTALLER_DIR}/onewindowd.ini ${OW_PACKAGE_BUILD_DIR}/${name} ${data_dir}
    DEPENDS ${OW_INSTALLER_DIR}/onewindowd.ini ${OW_INSTALLER_DIR}/derive_onewindowd_ini.py
    COMMENT "Deriving the default ${name} from installer/onewindowd.ini"
    VERBATIM)
  list(APPEND ow_generated ${OW_PACKAGE_BUILD_DIR}/${name})
endforeach()

set(OW_ICON_SIZES 16 24 32 48 64 128 256)
set(ow_icon_pngs)
foreach(size IN LISTS OW_ICON_SIZES)
  set(png ${OW_PACKAGE_BUILD_DIR}/icons/${size}x${size}/onewindow.png)
  add_custom_command(OUTPUT ${png}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${OW_PACKAGE_BUILD_DIR}/icons/${size}x${size}
    COMMAND ${OW_RSVG_CONVERT} --width=${size} --height=${size} --format=png
      --output=${png} ${OW_INSTALLER_DIR}/icons/onewindow.svg
    DEPENDS ${OW_INSTALLER_DIR}/icons/onewindow.svg
    COMMENT "Rendering the ${size}x${size} icon"
    VERBATIM)
  list(APPEND ow_generated ${png})
  list(APPEND ow_icon_pngs ${png})
  install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
    COMPONENT client)
endforeach()
if(OW_IMAGEMAGICK_CONVERT)
  set(ico ${OW_PACKAGE_BUILD_DIR}/icons/onewindow.ico)
  add_custom_command(OUTPUT ${ico}
    COMMAND ${OW_IMAGEMAGICK_CONVERT} ${ow_icon_pngs} ${ico}
    DEPENDS ${ow_icon_pngs}
    COMMENT "Making the Windows icon"
    VERBATIM)
  list(APPEND ow_generated ${ico})
endif()

# Man pages: the frame in installer/man, the options and commands from the program itself.
set(ow_manpages
  "onewindow|1|wx|${OW_XVFB_RUN}|-a|$<TARGET_FILE:onewindow>"
  "owctl|1|owctl|$<TARGET_FILE:owctl>"
  "onewindowd|8|poco|$<TARGET_FILE:onewindowd>")
set(OW_COMPONENT_client_MAN onewindow.1)
set(OW_COMPONENT_owctl_MAN owctl.1)
set(OW_COMPONENT_daemon_MAN onewindowd.8)
foreach(entry IN LISTS ow_manpages)
  string(REPLACE "|" ";" entry "${entry}")
  list(POP_FRONT entry name section style)
  set(page ${OW_PACKAGE_BUILD_DIR}/man/${name}.${section})
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${Python3_EXECUTABLE} ${OW_INSTALLER_DIR}/man/manpage.py --style ${style}
      --frame ${OW_INSTALLER_DIR}/man/${name}.${section}.in --output ${page}
      --version ${PROJECT_VERSION} --date ${OW_RELEASE_DATE} -- ${entry}
    COMMAND ${OW_GZIP} -9 -n -f ${page}
    DEPENDS ${name} ${OW_INSTALLER_DIR}/man/manpage.py ${OW_INSTALLER_DIR}/man/${name}.${section}.in
    COMMENT "Writing the man page ${name}(${section})"
    VERBATIM)
  list(APPEND ow_generated ${page}.gz)
endforeach()

# The Debian changelog, compressed as policy wants it (gzip -9n: no name, no time stamp).
set(ow_changelog_gz ${OW_PACKAGE_BUILD_DIR}/changelog.gz)
add_custom_command(OUTPUT ${ow_changelog_gz}
  COMMAND ${OW_GZIP} -9 -n -c ${OW_INSTALLER_DIR}/debian/changelog > ${ow_changelog_gz}
  DEPENDS ${OW_INSTALLER_DIR}/debian/changelog
  COMMENT "Compressing the Debian changelog")
list(APPEND ow_generated ${ow_changelog_gz})
add_custom_target(ow_package_files ALL DEPENDS ${ow_generated})

configure_file(${OW_INSTALLER_DIR}/desktop/onewindow.metainfo.xml.in
  ${OW_PACKAGE_BUILD_DIR}/${OW_APPSTREAM_ID}.metainfo.xml @ONLY)

# --- What each package holds ----------------------------------------------------------------
set(ow_man_dirs)
foreach(component IN LISTS OW_PACKAGE_COMPONENTS)
  set(package ${OW_COMPONENT_${component}_PACKAGE})
  set(docdir ${CMAKE_INSTALL_DATADIR}/doc/${package})
  install(FILES ${OW_INSTALLER_DIR}/debian/copyright ${ow_changelog_gz} DESTINATION ${docdir}
    COMPONENT ${component})
  set(man ${OW_COMPONENT_${component}_MAN})
  string(REGEX REPLACE "^.*\\." "" section ${man})
  install(FILES ${OW_PACKAGE_BUILD_DIR}/man/${man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section}
    COMPONENT ${component})
endforeach()

install(FILES ${OW_INSTALLER_DIR}/desktop/onewindow.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT client)
install(FILES ${OW_PACKAGE_BUILD_DIR}/${OW_APPSTREAM_ID}.metainfo.xml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT client)
install(FILES ${OW_INSTALLER_DIR}/icons/onewindow.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT client)

install(FILES ${OW_PACKAGE_BUILD_DIR}/onewindowd.ini
  DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/onewindow COMPONENT daemon)
install(FILES ${OW_INSTALLER_DIR}/systemd/onewindowd.service
  DESTINATION ${OW_SYSTEMD_UNIT_DIR} COMPONENT daemon)
install(FILES ${PROJECT_SOURCE_DIR}/docs/ONEWINDOWD.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/onewindowd COMPONENT daemon)
install(FILES ${OW_INSTALLER_DIR}/onewindowd.ini
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/onewindowd/examples COMPONENT daemon)

install(FILES ${PROJECT_SOURCE_DIR}/docs/OWCTL.md ${PROJECT_SOURCE_DIR}/docs/CATALOGUE.md
    ${PROJECT_SOURCE_DIR}/docs/KPIS.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/owctl COMPONENT owctl)
install(FILES ${PROJECT_SOURCE_DIR}/docs/examples/intake.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/owctl/examples COMPONENT owctl)

# --- CPack: one DEB per component -------------------------------------------------------------
set(CPACK_PACKAGE_NAME onewindow)
set(CPACK_PACKAGE_VENDOR "${OW_PACKAGE_VENDOR}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${OW_PACKAGE_MAINTAINER}")
# Each package's synopsis is the first line of its description below; CPack would put a
# global summary in front of it unless that summary is CPack's own default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${OW_PACKAGE_COMPONENTS})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE onewindow)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${OW_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The libraries each program links come from dpkg-shlibdeps; only what is not a library
# is named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME onewindow)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION misc)
# The documents and the Chinese interface are drawn with the Noto CJK fonts; the hall
# display speaks with espeak-ng; wx3.2-i18n translates wxWidgets' own dialogs.
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "fonts-noto-cjk, espeak-ng")
set(CPACK_DEBIAN_CLIENT_PACKAGE_SUGGESTS "owctl, wx3.2-i18n")
set(CPACK_DEBIAN_CLIENT_DESCRIPTION
"case management client for one-stop government service centres
OneWindow is the desktop client for the staff of administrative service
centres where a citizen or an enterprise gets every procedure done at one
window in one visit: intake with an ID-card reader and one merged checklist
of materials, acceptance (also with deficiencies), one-time notices and
refusals printed as PDF, review, queue tickets and the queue manager's floor
console, ratings and their follow-up, KPI reports.

The same program shows the hall's screen of calls and the rating pad facing
the applicant. Against a centre's shared PostgreSQL database it writes
through a local replica and carries on through an outage. The interface is
in English and Chinese.")

set(CPACK_DEBIAN_DAEMON_PACKAGE_NAME onewindowd)
set(CPACK_DEBIAN_DAEMON_PACKAGE_SECTION net)
# The maintainer scripts create the system user with adduser.
set(CPACK_DEBIAN_DAEMON_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_DAEMON_PACKAGE_SUGGESTS "owctl, postgresql")
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_EXTRA
  ${OW_INSTALLER_DIR}/debian/onewindowd/conffiles
  ${OW_INSTALLER_DIR}/debian/onewindowd/postinst
  ${OW_INSTALLER_DIR}/debian/onewindowd/prerm
  ${OW_INSTALLER_DIR}/debian/onewindowd/postrm)
set(CPACK_DEBIAN_DAEMON_DESCRIPTION
"OneWindow centre node, replicating cases between service centres
onewindowd serves a OneWindow service centre's events as a CouchDB database
(the CouchDB replication protocol) and replicates them with the peer centres
it is configured for, over HTTPS with a pinned centre CA and basic auth, so
that a case taken in at one centre can be worked at another.

The package runs it as a systemd service under the system user onewindow,
with its data under /var/lib/onewindow. Its default configuration,
/etc/onewindow/onewindowd.ini, serves an SQLite database over plain HTTP on
127.0.0.1 only, with no peers.")

set(CPACK_DEBIAN_OWCTL_PACKAGE_NAME owctl)
set(CPACK_DEBIAN_OWCTL_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_OWCTL_PACKAGE_SUGGESTS "onewindowd")
set(CPACK_DEBIAN_OWCTL_DESCRIPTION
"administrator's command-line tool of OneWindow
owctl sets up and looks after the database of a OneWindow service centre,
embedded SQLite or a shared PostgreSQL database: schema and migrations, the
service catalogue, staff accounts, a demo centre, scripted intake and case
work, queue tickets and ratings, KPI reports as CSV, XLSX and JSON, the sync
of a workstation replica, audit verification of the hash-chained event log
and the state-hash.")

include(CPack)

# --- The Windows installer (Inno Setup), configured here, built on Windows -------------------
# The same components and files as the Debian packages, where Windows has them: the
# programs, the catalogs, the documentation, the default configuration of onewindowd.
get_directory_property(ow_languages DIRECTORY ${PROJECT_SOURCE_DIR}/i18n DEFINITION OW_LANGUAGES)
set(OW_ISS_CATALOGS "")
foreach(lang IN LISTS ow_languages)
  string(APPEND OW_ISS_CATALOGS
    "Source: \"${PROJECT_BINARY_DIR}/locale/${lang}/LC_MESSAGES/onewindow.mo\"; "
    "DestDir: \"{app}\\share\\locale\\${lang}\\LC_MESSAGES\"; Components: client; Flags: ignoreversion\n")
endforeach()
string(STRIP "${OW_ISS_CATALOGS}" OW_ISS_CATALOGS)
foreach(component IN LISTS OW_PACKAGE_COMPONENTS)
  string(TOUPPER ${component} upper)
  string(REGEX MATCH "^[^\n]*" OW_ISS_${upper}_SUMMARY "${CPACK_DEBIAN_${upper}_DESCRIPTION}")
endforeach()
configure_file(${OW_INSTALLER_DIR}/windows/onewindow.iss.in ${OW_PACKAGE_BUILD_DIR}/onewindow.iss.gen @ONLY)
file(GENERATE OUTPUT ${OW_PACKAGE_BUILD_DIR}/onewindow.iss INPUT ${OW_PACKAGE_BUILD_DIR}/onewindow.iss.gen)
