#pragma once
// `attent-studio info FILE.attent`: what an experiment file holds - format version, kind,
// preset, seed, step, runs (learner, teacher, parameters, history, compute), settings and
// section sizes. Exit 0; 1 when the file is unreadable or damaged (the reason on stderr);
// 2 on a usage error. `args` are the arguments after the subcommand name.
#include <QStringList>

namespace attent::app {
int infoCommand(const QStringList& args);
}  // namespace attent::app
