// replaced by the teacher sources
