// replaced by the benchmark sources
