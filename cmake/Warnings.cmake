# Strict warnings for our own code, and a sanitizer switch:
#   -DSIEVEC_SANITIZE=ON builds everything with ASan and UBSan.
option(SIEVEC_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(SIEVEC_WERROR "Treat warnings as errors" OFF)

set(SIEVEC_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wformat=2 -Wno-unused-parameter)
if(SIEVEC_WERROR)
  list(APPEND SIEVEC_WARNINGS -Werror)
endif()

if(SIEVEC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Applies our warnings to a target (generated flex/bison sources are exempt
# through sievec_quiet_generated).
function(sievec_warnings target)
  target_compile_options(${target} PRIVATE ${SIEVEC_WARNINGS})
endfunction()

function(sievec_quiet_generated)
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS
      "-Wno-unused-function;-Wno-missing-prototypes;-Wno-sign-compare;-Wno-unused-but-set-variable;-Wno-shadow")
endfunction()
