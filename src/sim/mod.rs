//! The simulated Elytron server (axum, loopback): the tests, the benchmarks and `--demo` run against it.
