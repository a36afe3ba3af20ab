add_library(driftgate_sanitizers INTERFACE)
if(DRIFTGATE_ENABLE_ASAN)
  target_compile_options(driftgate_sanitizers INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(driftgate_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
