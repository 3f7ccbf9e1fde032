// replaced by the research sources
