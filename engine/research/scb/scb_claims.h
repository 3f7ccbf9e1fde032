#pragma once
// The sparse-contextual-bigram paper's claims as numbers (docs/SCIENCE.md section 3; keys in
// docs/FORMATS.md): the errors ||V - P||_F and ||A - Q*||_F at the end, the plateau and the two
// stages' rates, proximal against SGD at equal steps, and the steps transfer saves.
#include <optional>
#include <vector>

#include "engine/teach/claims.h"

namespace attent {

// The plateau ends where ||A - Q*||_F has fallen this fraction below its start. (The
// A-correlation, a cosine, is scale-free: it leaves 0 within the first evaluation even while the
// error sits on its plateau, so it is reported but does not delimit the stages.)
constexpr double kPlateauFall = 0.1;
// The A-correlation's departure reported next to it.
constexpr double kCorrelationDeparture = 0.1;

struct TwoStages {
  std::optional<double> plateauEnd;   // step; nullopt: the error never fell that far
  double firstRate = NAN;             // e-folds of the A error per 1000 steps on the plateau
  double secondRate = NAN;            // the fastest such rate between evaluations after it
  std::optional<double> fastestFrom;  // the step where that fastest interval starts
};
// From the A-error series (steps ascending, errors > 0).
TwoStages twoStages(const Series& aError, double fall = kPlateauFall);

// The stages on a run's errors, for the window: the plateau's end and where the fastest fall
// starts, on the A error, the V error and the excess loss.
DiagnosticMarkers scbStageMarkers(const std::vector<DiagnosticsPoint>& history);

std::vector<Claim> scbClaims(const Experiment& experiment);          // runs SGD and proximal
std::vector<Claim> scbTransferClaims(const Experiment& experiment);  // runs scratch and pretrained

}  // namespace attent
