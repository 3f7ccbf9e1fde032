// replaced by the task sources
