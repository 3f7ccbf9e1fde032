// replaced by the learner sources
