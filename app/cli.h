#pragma once
// The command line of attent-studio (ARCHITECTURE.md "Contracts"). Returns the exit
// status, or -1 when the arguments ask for the window.
#include <QStringList>

namespace attent::app {
int runCommandLine(const QStringList& arguments);
}
