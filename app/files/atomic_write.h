#pragma once
// Whole-file writes through QSaveFile: the bytes go to a temporary file that replaces the
// target only after everything was written, so a crash or kill leaves the old file intact.
#include <QByteArray>
#include <QString>

namespace attent::app {
// Throws InputError naming the file and the system's reason.
void writeFileAtomically(const QString& path, const QByteArray& bytes);
}  // namespace attent::app
