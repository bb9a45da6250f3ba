# Install rules that span directories: the runtime library, its public
# headers (runtime/include/sieve/*.h, however many exist when installing),
# and the pkg-config file generated from cmake/sieve-rt.pc.in. Tools install
# themselves (install(TARGETS) next to each add_executable); man pages are
# installed by doc/CMakeLists.txt.

if(TARGET sieve-rt)
  install(TARGETS sieve-rt
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  # The folder is globbed at install time, so headers added later need no
  # change here.
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/sieve
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h")

  # Absolute paths in the .pc file unless the install dirs are absolute
  # already (GNUInstallDirs gives relative ones by default).
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(SIEVE_RT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  else()
    set(SIEVE_RT_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(SIEVE_RT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  else()
    set(SIEVE_RT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
  # The prefix is the one given at install time (cmake --install --prefix),
  # not the configured one, so the template is filled in by the install step.
  set(SIEVE_RT_PC_PREFIX "@SIEVE_RT_PC_PREFIX@")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/sieve-rt.pc.in
                 ${PROJECT_BINARY_DIR}/sieve-rt.pc.in @ONLY)
  install(CODE "
    file(READ \"${PROJECT_BINARY_DIR}/sieve-rt.pc.in\" _pc)
    string(REPLACE \"@SIEVE_RT_PC_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\" _pc \"\${_pc}\")
    file(WRITE \"${PROJECT_BINARY_DIR}/sieve-rt.pc\" \"\${_pc}\")")
  install(FILES ${PROJECT_BINARY_DIR}/sieve-rt.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
