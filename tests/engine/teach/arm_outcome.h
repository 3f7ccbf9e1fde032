#pragma once
// One arm's outcome written by hand, for checking verdicts and what shows them: held-out loss
// is 1 - accuracy.
#include "engine/teach/epoch_verdict.h"

namespace attent::test {

inline ArmOutcome armOf(const char* name, double cpu, long trained, double accuracy, long scored = 0,
                        double scoring = 0) {
  ArmOutcome a;
  a.name = name;
  a.cpuSeconds = cpu;
  a.trainedExamples = trained;
  a.scoredExamples = scored;
  a.scoringSeconds = scoring;
  a.finalEvalAccuracy = accuracy;
  a.finalEvalLoss = 1 - accuracy;
  return a;
}

}  // namespace attent::test
