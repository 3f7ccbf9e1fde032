// replaced by the transformer sources
