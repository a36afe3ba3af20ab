# Warnings as an INTERFACE target (cpp-best-practices/cmake_template); -Werror only when asked (CI).
add_library(driftgate_warnings INTERFACE)
target_compile_options(driftgate_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 reports false -Wrestrict positives inside std::string concatenation (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(DRIFTGATE_WARNINGS_AS_ERRORS)
  target_compile_options(driftgate_warnings INTERFACE -Werror)
endif()
