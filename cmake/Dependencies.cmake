# All from Debian 12 packages; deploy/local/deps.sh installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)   # partition archives (libzstd-dev)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
# libxgboost-dev (regression DLE, core/dle): its CMake config names the `xgboost` CLI binary, a package of
# its own, so its pkg-config file is used.
pkg_check_modules(XGBOOST REQUIRED IMPORTED_TARGET xgboost>=1.7)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)  # Eigen3::Eigen, header-only (libeigen3-dev): PCA drift
if(DRIFTGATE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(DRIFTGATE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
