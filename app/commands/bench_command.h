#pragma once
#include <QStringList>

namespace attent {

// `attent-studio bench [--model tiny|small|medium]... [--threads N] [--steps N]`:
// one line per model on stdout. Usage errors: message on stderr, returns 2.
int benchCommand(const QStringList& args);

}  // namespace attent
