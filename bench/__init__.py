"""bench: speed and memory measurements that write BENCHMARKS.md."""
